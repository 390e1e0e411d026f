package io.meshwarden.proposal;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.synthesis.Evidence;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PolicySynthesizer;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One namespace's proposal, with exactly the functions {@code generate} uses
 * ({@link PolicySynthesizer#synthesize}, which starts with {@code EvidenceCheck}): the synthesis
 * runs on the edges that touch the namespace, so its workloads get the policies {@code generate}
 * would give them from the same traffic, and the policies of other namespaces' workloads are
 * dropped. Pure.
 */
public final class ProposalCalculator {
  private ProposalCalculator() {}

  /**
   * @param edges the observed edges with an end in {@code namespace} ({@link #byNamespace})
   * @param nowMillis when this is computed (the proposal's creation time, not part of its version)
   */
  public static Proposal compute(String namespace, ClusterModel model, List<ObservedEdge> edges,
      PolicySynthesizer.Options options, long nowMillis) {
    long flows = 0;
    for (ObservedEdge e : edges) {
      flows += e.stats().count();
    }
    TrafficModel traffic = new TrafficModel(edges, flows, List.of(), 0, Map.of());
    PolicySynthesizer.Result r = PolicySynthesizer.synthesize(model, traffic, options);
    String prefix = namespace + "/";
    List<WorkloadPolicy> mine = r.policies().policies().stream().filter(p -> p.namespace().equals(namespace)).toList();
    Evidence ev = r.policies().evidence();
    List<Evidence.Unobserved> unobserved = new ArrayList<>(ev.notEnoughEvidence().stream()
        .filter(u -> u.workloadId().startsWith(prefix)).toList());
    String refusal = r.refusal().map(n -> n.message()).orElse(null);
    if (refusal != null) {
      // Nothing was synthesized: say so for every workload of the namespace.
      model.workloads().stream().filter(w -> w.namespace().equals(namespace))
          .forEach(w -> unobserved.add(new Evidence.Unobserved(w.id(), "no observed flow")));
    }
    Evidence scoped = new Evidence(ev.firstSeen(), ev.lastSeen(), ev.flows(), ev.sources(), ev.blindSpots(), unobserved,
        ev.warnings());
    PolicySet set = new PolicySet(r.policies().trustDomain(), mine, scoped);
    return new Proposal(namespace, ProposalCodec.version(namespace, set), set, r.notes(), refusal, nowMillis);
  }

  /** Edges by the namespace of each workload end (an edge between two namespaces is in both). */
  public static Map<String, List<ObservedEdge>> byNamespace(List<ObservedEdge> edges) {
    Map<String, List<ObservedEdge>> out = new HashMap<>();
    for (ObservedEdge e : edges) {
      String src = namespaceOf(e.key().source());
      String dst = namespaceOf(e.key().destination());
      if (src != null) {
        out.computeIfAbsent(src, k -> new ArrayList<>()).add(e);
      }
      if (dst != null && !dst.equals(src)) {
        out.computeIfAbsent(dst, k -> new ArrayList<>()).add(e);
      }
    }
    return out;
  }

  /** The namespace of a workload peer ({@code ns/Kind/name}); null for any other peer. */
  static String namespaceOf(PeerRef p) {
    if (!p.isWorkload()) {
      return null;
    }
    int slash = p.id().indexOf('/');
    return slash > 0 ? p.id().substring(0, slash) : null;
  }
}
