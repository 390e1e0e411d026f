package io.meshwarden.connectivity;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Namespace;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entry point of the connectivity stage: a {@link ClusterModel} in, a {@link Connectivity} out.
 * Pure: the same model always gives the same answer.
 */
public final class ConnectivityAnalyzer {
  /** The namespace the synthetic ingress-controller peer is evaluated in. */
  static final String INGRESS_CONTROLLER_NAMESPACE = "ingress-controller-ns";

  private ConnectivityAnalyzer() {}

  public static Connectivity analyze(ClusterModel model) {
    return analyze(model, false);
  }

  /**
   * With {@code representatives}, also prepares exposure analysis: peers that stand for the pods
   * policy rules select but the model lacks (see {@link Connectivity#representatives()}).
   */
  public static Connectivity analyze(ClusterModel model, boolean representatives) {
    Map<String, PeerClass> byKey = new HashMap<>();
    List<PeerClass> classes = new ArrayList<>();
    Map<Workload, PeerClass> classOf = new java.util.IdentityHashMap<>();
    for (Workload w : model.workloads()) {
      PeerClass c = byKey.computeIfAbsent(PeerClass.key(w), k -> {
        Namespace ns = model.namespace(w.namespace());
        PeerClass created = new PeerClass(classes.size(), w.namespace(), ns.labels(), w.podLabels(), w.containers());
        classes.add(created);
        return created;
      });
      c.workloads.add(w);
      classOf.put(w, c);
    }
    // The ingress controller is evaluated as a label-less pod in a namespace of its own.
    Namespace icNs = Namespace.implicit(INGRESS_CONTROLLER_NAMESPACE);
    PeerClass controller = new PeerClass(classes.size(), icNs.name(), icNs.labels(), Map.of(), List.of());
    classes.add(controller);
    Map<Peer.RepresentativePeer, PeerClass> reps = new LinkedHashMap<>();
    if (representatives) {
      for (Peer.RepresentativePeer r : ExposureScan.representatives(model)) {
        PeerClass c = new PeerClass(classes.size(), r.namespace(), Map.of(), Map.of(), List.of(), r);
        classes.add(c);
        reps.put(r, c);
      }
    }

    PolicyIndex index = new PolicyIndex(model, classes);
    // Queries on one result may run on many threads; each may raise a warning.
    Set<String> warnings = new java.util.concurrent.ConcurrentSkipListSet<>();
    TieredPolicyEvaluator evaluator = new TieredPolicyEvaluator(index, warnings::add);
    Map<Workload, ConnectionSet> ingressPorts = IngressControllerPorts.compute(model, warnings::add);
    boolean multiNetwork = model.networks().enabled();
    return new Connectivity(classes, classOf, controller.index, evaluator,
        IpPartition.of(index.sourceIpRanges), IpPartition.of(index.destinationIpRanges), ingressPorts, warnings, reps,
        multiNetwork ? MultiNetworkPlan.primaries(model, classes) : null,
        multiNetwork ? MultiNetworkPlan.secondaries(model, classes, warnings::add) : List.of());
  }
}
