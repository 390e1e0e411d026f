package io.meshwarden.connectivity;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.MultiNetworkPolicy;
import io.meshwarden.model.NetworkAttachment;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.NetworkRef;
import io.meshwarden.model.Networks;
import io.meshwarden.model.PrimaryNetwork;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Places peer classes on networks under OVN-Kubernetes multi-networking: each class on the
 * primary network of its namespace, and on each secondary network that it asks for and that a
 * NetworkAttachmentDefinition provides in the right namespace. Secondary networks get their own
 * policy index of the MultiNetworkPolicies aimed at them.
 */
final class MultiNetworkPlan {
  private MultiNetworkPlan() {}

  /** Per class, its primary network; external stand-ins (the ingress controller) take the pod network. */
  static Network[] primaries(ClusterModel model, List<PeerClass> classes) {
    Networks networks = model.networks();
    Network[] out = new Network[classes.size()];
    for (PeerClass c : classes) {
      PrimaryNetwork p = c.workloads.isEmpty() ? null : networks.primary(c.namespace);
      out[c.index] = p == null ? Network.POD
          : new Network(p.clusterScoped() ? Network.Kind.PRIMARY_CUDN : Network.Kind.PRIMARY_UDN, p.name());
    }
    return out;
  }

  static List<Connectivity.SecondaryNetwork> secondaries(ClusterModel model, List<PeerClass> classes,
      Consumer<Diagnostic> warn) {
    Map<String, Set<String>> namespacesByNetwork = new TreeMap<>();
    for (NetworkAttachment a : model.networks().attachments()) {
      namespacesByNetwork.computeIfAbsent(a.name(), k -> new HashSet<>()).add(a.namespace());
    }
    List<Connectivity.SecondaryNetwork> out = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : namespacesByNetwork.entrySet()) {
      String name = e.getKey();
      Set<String> namespaces = e.getValue();
      List<Integer> attached = new ArrayList<>();
      for (PeerClass c : classes) {
        NetworkRef ref = c.attachment(name);
        if (ref != null && namespaces.contains(ref.namespaceOr(c.namespace))) {
          attached.add(c.index);
        }
      }
      if (attached.isEmpty()) {
        continue;
      }
      List<NetworkPolicy> policies = new ArrayList<>();
      for (MultiNetworkPolicy p : model.networks().multiNetworkPolicies()) {
        if (targets(p, name, namespaces)) {
          policies.add(p.policy());
        }
      }
      PolicyIndex index = PolicyIndex.forSecondaryNetwork(model, classes, name, policies);
      out.add(new Connectivity.SecondaryNetwork(new Network(Network.Kind.SECONDARY_NAD, name),
          attached.stream().mapToInt(Integer::intValue).toArray(), new TieredPolicyEvaluator(index, warn)));
    }
    return out;
  }

  /**
   * Whether the policy is for the network: its {@code policy-for} names it (first mention wins),
   * and a NetworkAttachmentDefinition of it exists in the namespace named there (or the policy's).
   */
  private static boolean targets(MultiNetworkPolicy p, String network, Set<String> namespaces) {
    for (NetworkRef ref : p.policyFor()) {
      if (ref.name().equals(network)) {
        return namespaces.contains(ref.namespaceOr(p.namespace()));
      }
    }
    return false;
  }
}
