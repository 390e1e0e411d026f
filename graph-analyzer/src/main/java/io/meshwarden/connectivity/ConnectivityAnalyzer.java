package io.meshwarden.connectivity;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Diagnostic;
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
    // Admin-tier address peers match pods by address: workloads whose addresses fall differently are told apart.
    PodAddresses addresses = PodAddresses.of(model);
    for (Workload w : model.workloads()) {
      PeerClass c = byKey.computeIfAbsent(PeerClass.key(w) + addresses.signature(w), k -> {
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
    Set<Diagnostic> warnings = new java.util.concurrent.ConcurrentSkipListSet<>(
        java.util.Comparator.comparing(Diagnostic::toString));
    warnings.addAll(index.notes);
    TieredPolicyEvaluator evaluator = new TieredPolicyEvaluator(index, warnings::add);
    Map<Workload, ConnectionSet> ingressPorts = IngressControllerPorts.compute(model, warnings::add);
    boolean multiNetwork = model.networks().enabled();
    // IPv6 external peers exist once the cluster uses IPv6: an IPv6 CIDR in a policy, or a pod address.
    List<io.meshwarden.model.IpRange> sourceCuts = new ArrayList<>(index.sourceIpRanges);
    List<io.meshwarden.model.IpRange> destinationCuts = new ArrayList<>(index.destinationIpRanges);
    if (usesIpv6(model) || sourceCuts.stream().anyMatch(io.meshwarden.model.IpRange::isIpv6)
        || destinationCuts.stream().anyMatch(io.meshwarden.model.IpRange::isIpv6)) {
      sourceCuts.add(io.meshwarden.model.IpRange.ALL_IPV6);
      destinationCuts.add(io.meshwarden.model.IpRange.ALL_IPV6);
    }
    return new Connectivity(classes, classOf, controller.index, evaluator,
        IpPartition.of(sourceCuts), IpPartition.of(destinationCuts), ingressPorts, warnings, reps,
        multiNetwork ? MultiNetworkPlan.primaries(model, classes) : null,
        multiNetwork ? MultiNetworkPlan.secondaries(model, classes, warnings::add) : List.of());
  }

  /**
   * Whether the model's connectivity depends on pod addresses: an AdminNetworkPolicy or
   * ClusterNetworkPolicy egress peer ({@code networks}, {@code nodes}) matches pods by address, so
   * a caller whose model leaves pod addresses out (the live index's policy view) must analyse the
   * model with them.
   */
  public static boolean readsPodAddresses(ClusterModel model) {
    return PodAddresses.of(model).any();
  }

  /** Whether any pod has an IPv6 address (status.podIPs of a dual-stack or IPv6 cluster, or an EndpointSlice). */
  private static boolean usesIpv6(ClusterModel model) {
    for (Workload w : model.workloads()) {
      for (String ip : w.podIps()) {
        if (io.meshwarden.model.IpRange.isIpv6(ip)) {
          return true;
        }
      }
    }
    return false;
  }
}
