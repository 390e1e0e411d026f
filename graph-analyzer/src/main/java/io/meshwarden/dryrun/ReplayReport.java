package io.meshwarden.dryrun;

import io.meshwarden.model.Origin;
import java.util.List;
import java.util.Objects;

/**
 * What replaying recorded traffic through a proposed policy found: every flow it would deny,
 * grouped by destination and by the rule that decides, with counts and samples.
 */
public record ReplayReport(long edgesReplayed, long flowsReplayed, long flowsDenied, List<Group> wouldDeny) {
  public ReplayReport {
    wouldDeny = List.copyOf(wouldDeny);
  }

  public boolean deniesAnything() {
    return flowsDenied > 0;
  }

  /**
   * Denied flows to one destination, decided the same way.
   *
   * @param layer {@code L4} (NetworkPolicy / AdminNetworkPolicy) or {@code L7} (AuthorizationPolicy)
   * @param decidedBy the policy and rule, or why no rule admitted the flows
   * @param samples up to five flows: source, port, request, count, record location
   */
  public record Group(String destination, String layer, String decidedBy, Origin origin, long flows,
      List<String> sources, List<String> samples) {
    public Group {
      Objects.requireNonNull(destination, "destination");
      sources = List.copyOf(sources);
      samples = List.copyOf(samples);
    }
  }

  /** Text for the terminal and for CI logs. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("replayed %d flows on %d observed edges: %d would be denied%n", flowsReplayed,
        edgesReplayed, flowsDenied));
    for (Group g : wouldDeny) {
      sb.append(String.format("%nDENY %d flow%s to %s [%s]%n  decided by: %s%s%n  sources: %s%n", g.flows(),
          g.flows() == 1 ? "" : "s", g.destination(), g.layer(), g.decidedBy(),
          g.origin().line() > 0 ? " (" + g.origin() + ")" : "", String.join(", ", g.sources())));
      g.samples().forEach(s -> sb.append("  e.g. ").append(s).append('\n'));
    }
    return sb.toString();
  }
}
