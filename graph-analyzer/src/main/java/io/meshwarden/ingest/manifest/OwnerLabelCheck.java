package io.meshwarden.ingest.manifest;

import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.ClusterNetworkPolicy;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pods of one owner are analysed as one workload, which is only sound while no policy selector
 * tells them apart. This finds a selector that does, so the load can fail with a clear reason.
 */
final class OwnerLabelCheck {
  /** Two pods of one owner whose labels differ. */
  record Gap(String namespace, String owner, String podA, Map<String, String> labelsA, String podB,
      Map<String, String> labelsB, Origin origin) {}

  private OwnerLabelCheck() {}

  /** Returns the error for the first gap some selector splits, or null if every gap is harmless. */
  static ManifestException check(ClusterModel model, List<Gap> gaps) {
    for (Gap g : gaps) {
      Map<String, String> nsLabels = model.namespace(g.namespace()).labels();
      for (NetworkPolicy np : model.networkPolicies()) {
        List<LabelSelector> selectors = new ArrayList<>();
        if (np.namespace().equals(g.namespace())) {
          selectors.add(np.podSelector());
        }
        List<NetworkPolicy.Rule> rules = new ArrayList<>(np.ingress());
        rules.addAll(np.egress());
        for (NetworkPolicy.Rule r : rules) {
          for (NetworkPolicy.Peer p : r.peers()) {
            boolean nsMatches = p.namespaceSelector() == null ? np.namespace().equals(g.namespace())
                : p.namespaceSelector().matches(nsLabels);
            if (p.ipBlock() == null && nsMatches && p.podSelector() != null) {
              selectors.add(p.podSelector());
            }
          }
        }
        ManifestException e = split(g, selectors, "NetworkPolicy " + np.qualifiedName());
        if (e != null) {
          return e;
        }
      }
      List<AdminNetworkPolicy> admin = new ArrayList<>(model.adminNetworkPolicies());
      model.baselineAdminNetworkPolicy().ifPresent(admin::add);
      for (AdminNetworkPolicy anp : admin) {
        List<LabelSelector> selectors = new ArrayList<>();
        addSubject(anp.subject(), nsLabels, selectors);
        List<AdminNetworkPolicy.Rule> rules = new ArrayList<>(anp.ingress());
        rules.addAll(anp.egress());
        for (AdminNetworkPolicy.Rule r : rules) {
          for (AdminNetworkPolicy.Peer p : r.peers()) {
            if (p.pods() != null) {
              addSubject(p.pods(), nsLabels, selectors);
            }
          }
        }
        ManifestException e = split(g, selectors, (anp.baseline() ? "BaselineAdminNetworkPolicy " : "AdminNetworkPolicy ")
            + anp.name());
        if (e != null) {
          return e;
        }
      }
      for (ClusterNetworkPolicy cnp : model.clusterNetworkPolicies()) {
        List<LabelSelector> selectors = new ArrayList<>();
        addSubject(cnp.subject(), nsLabels, selectors);
        List<ClusterNetworkPolicy.Rule> rules = new ArrayList<>(cnp.ingress());
        rules.addAll(cnp.egress());
        for (ClusterNetworkPolicy.Rule r : rules) {
          for (ClusterNetworkPolicy.Peer p : r.peers()) {
            if (p.pods() != null) {
              addSubject(p.pods(), nsLabels, selectors);
            }
          }
        }
        ManifestException e = split(g, selectors, "ClusterNetworkPolicy " + cnp.name());
        if (e != null) {
          return e;
        }
      }
    }
    return null;
  }

  private static void addSubject(AdminNetworkPolicy.Subject s, Map<String, String> nsLabels, List<LabelSelector> out) {
    if (s.podSelector() != null && s.namespaceSelector().matches(nsLabels)) {
      out.add(s.podSelector());
    }
  }

  private static ManifestException split(Gap g, List<LabelSelector> selectors, String policy) {
    for (LabelSelector s : selectors) {
      if (s.matches(g.labelsA()) != s.matches(g.labelsB())) {
        return new ManifestException(g.origin(), "Found Pods of the same owner workload `" + g.namespace() + "/"
            + g.owner() + "` and with differences in their labels, while a network policy contains selectors"
            + " impacted by this gap: pod " + g.podA() + " has labels " + g.labelsA() + ", pod " + g.podB()
            + " has labels " + g.labelsB() + ", and " + policy + " selects only one of them with " + s);
      }
    }
    return null;
  }
}
