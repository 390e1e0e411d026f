package io.meshwarden.synthesis;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.InputSummary;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.TrafficModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Evidence before policy, as a pure check: no proposal from inputs that yielded no usable flow.
 * Refused are: no input at all or no flow; an input that had records of which none was a flow (the
 * wrong format, a binary file: whatever else was read, what that input would have shown is
 * missing); and flows of which none involves a workload of the model.
 */
public final class EvidenceCheck {
  private EvidenceCheck() {}

  /** Why {@code traffic} is no basis for a proposal, or empty when it is. */
  public static Optional<NoEvidence> check(TrafficModel traffic) {
    List<InputSummary> empty = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    for (InputSummary in : traffic.inputs()) {
      if (in.yieldedNothing() && (in.badRecords() > 0 || traffic.edges().isEmpty())) {
        empty.add(in);
        parts.add(describe(in));
      }
    }
    if (!empty.isEmpty()) {
      return Optional.of(new NoEvidence("no usable flow evidence: " + String.join("; ", parts)
          + "; nothing generated", empty));
    }
    if (traffic.edges().isEmpty()) {
      return Optional.of(new NoEvidence("no usable flow evidence: " + traffic.flowsRead() + " flow record(s) read, "
          + traffic.badRecordCount() + " bad, none resolved to an edge; nothing generated", List.of()));
    }
    return Optional.empty();
  }

  /** As {@link #check(TrafficModel)}, and also refused when no edge touches a workload of the model. */
  public static Optional<NoEvidence> check(TrafficModel traffic, ClusterModel model) {
    Optional<NoEvidence> basic = check(traffic);
    if (basic.isPresent()) {
      return basic;
    }
    Set<String> ids = new HashSet<>();
    model.workloads().forEach((Workload w) -> ids.add(w.id()));
    for (ObservedEdge e : traffic.edges()) {
      if (ids.contains(e.key().source().id()) || ids.contains(e.key().destination().id())) {
        return Optional.empty();
      }
    }
    return Optional.of(new NoEvidence("no usable flow evidence: " + traffic.edges().size()
        + " observed edge(s), none to or from a workload of the manifests (do the flows come from this cluster?);"
        + " nothing generated", List.of()));
  }

  private static String describe(InputSummary in) {
    StringBuilder sb = new StringBuilder(in.name()).append(": ");
    if (in.lines() == 0) {
      sb.append("empty (no records)");
    } else {
      sb.append(in.lines()).append(" record(s), ").append(in.badRecords()).append(" bad, no flow");
    }
    if (in.formatHint() != null) {
      sb.append(" (").append(in.formatHint()).append(')');
    }
    return sb.toString();
  }
}
