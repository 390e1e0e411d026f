package io.meshwarden.connectivity;

import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.ClusterNetworkPolicy;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.Namespace;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads policy rules for exposure analysis: which rules reach the entire cluster (any pod in any
 * namespace, existing or not), and which selectors deserve a representative peer because no
 * workload in the input stands for what they select.
 */
final class ExposureScan {
  private ExposureScan() {}

  /** Whether a NetworkPolicy rule admits every pod of every namespace. */
  static boolean clusterWide(NetworkPolicy.Rule r) {
    if (r.peers().isEmpty()) {
      return true;
    }
    for (NetworkPolicy.Peer p : r.peers()) {
      if (p.ipBlock() == null && allNamespaces(p.namespaceSelector(), p.podSelector())) {
        return true;
      }
    }
    return false;
  }

  /** Whether an admin policy rule names every pod of every namespace. */
  static boolean clusterWide(AdminNetworkPolicy.Rule r) {
    for (AdminNetworkPolicy.Peer p : r.peers()) {
      if (p.pods() != null && allNamespaces(p.pods().namespaceSelector(), p.pods().podSelector())) {
        return true;
      }
    }
    return false;
  }

  private static boolean allNamespaces(LabelSelector ns, LabelSelector pod) {
    return ns != null && ns.isEmpty() && (pod == null || pod.isEmpty());
  }

  /**
   * One representative per distinct pair of selectors in the rules of every direction a policy
   * affects, except pairs that a workload of the input already matches with plain labels.
   */
  static List<Peer.RepresentativePeer> representatives(ClusterModel model) {
    Map<String, Peer.RepresentativePeer> byKey = new LinkedHashMap<>();
    for (NetworkPolicy np : model.networkPolicies()) {
      if (np.affectsIngress()) {
        np.ingress().forEach(r -> add(np, r, byKey));
      }
      if (np.affectsEgress()) {
        np.egress().forEach(r -> add(np, r, byKey));
      }
    }
    List<AdminNetworkPolicy> admin = new ArrayList<>(model.adminNetworkPolicies());
    model.baselineAdminNetworkPolicy().ifPresent(admin::add);
    for (AdminNetworkPolicy anp : admin) {
      anp.ingress().forEach(r -> add(r, byKey));
      anp.egress().forEach(r -> add(r, byKey));
    }
    for (ClusterNetworkPolicy cnp : model.clusterNetworkPolicies()) {
      for (ClusterNetworkPolicy.Rule r : cnp.ingress()) {
        add(r, byKey);
      }
      for (ClusterNetworkPolicy.Rule r : cnp.egress()) {
        add(r, byKey);
      }
    }
    for (Workload w : model.workloads()) {
      Map<String, String> nsLabels = model.namespace(w.namespace()).labels();
      byKey.values().removeIf(rep -> redundant(rep, w.podLabels(), nsLabels));
    }
    return List.copyOf(byKey.values());
  }

  private static void add(NetworkPolicy np, NetworkPolicy.Rule r, Map<String, Peer.RepresentativePeer> out) {
    if (clusterWide(r)) {
      // The whole rule is covered by the entire-cluster exposure; its other entries add nothing.
      return;
    }
    for (NetworkPolicy.Peer p : r.peers()) {
      if (p.ipBlock() != null) {
        continue;
      }
      if (p.namespaceSelector() == null) {
        LabelSelector own = new LabelSelector(Map.of(Namespace.NAME_LABEL, np.namespace()), List.of());
        put(new Peer.RepresentativePeer(np.namespace(), own, p.podSelector()), out);
      } else {
        put(new Peer.RepresentativePeer(null, p.namespaceSelector(), p.podSelector()), out);
      }
    }
  }

  private static void add(AdminNetworkPolicy.Rule r, Map<String, Peer.RepresentativePeer> out) {
    for (AdminNetworkPolicy.Peer p : r.peers()) {
      if (p.pods() != null && !allNamespaces(p.pods().namespaceSelector(), p.pods().podSelector())) {
        put(new Peer.RepresentativePeer(null, p.pods().namespaceSelector(), p.pods().podSelector()), out);
      }
    }
  }

  private static void add(ClusterNetworkPolicy.Rule r, Map<String, Peer.RepresentativePeer> out) {
    for (ClusterNetworkPolicy.Peer p : r.peers()) {
      if (p.pods() != null && !allNamespaces(p.pods().namespaceSelector(), p.pods().podSelector())) {
        put(new Peer.RepresentativePeer(null, p.pods().namespaceSelector(), p.pods().podSelector()), out);
      }
    }
  }

  private static void put(Peer.RepresentativePeer rep, Map<String, Peer.RepresentativePeer> out) {
    out.putIfAbsent(SelectorEquality.key(rep.namespaceSelector()) + "/" + SelectorEquality.key(rep.podSelector()), rep);
  }

  /**
   * A representative whose selectors are plain label maps that a real workload satisfies adds
   * nothing to the report: the workload's own connections already show it. Selectors with
   * expressions, or that select all pods or all namespaces, stand for more than one workload.
   */
  private static boolean redundant(Peer.RepresentativePeer rep, Map<String, String> podLabels,
      Map<String, String> nsLabels) {
    LabelSelector pod = rep.podSelector();
    LabelSelector ns = rep.namespaceSelector();
    if (pod == null || !pod.matchExpressions().isEmpty() || !ns.matchExpressions().isEmpty()) {
      return false;
    }
    if (pod.matchLabels().isEmpty() || ns.matchLabels().isEmpty()) {
      return false;
    }
    return pod.matches(podLabels) && ns.matches(nsLabels);
  }
}
