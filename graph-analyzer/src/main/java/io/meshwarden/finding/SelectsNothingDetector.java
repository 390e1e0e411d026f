package io.meshwarden.finding;

import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.ClusterNetworkPolicy;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.MeshResource;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * MW107: a policy (NetworkPolicy, AdminNetworkPolicy, ClusterNetworkPolicy, Istio AuthorizationPolicy) whose selector,
 * or a peer of one of its rules, selects no workload, with the nearest labels that exist. Almost
 * always a typo ({@code name: cart} for pods labelled {@code carts}): the policy protects nobody,
 * or the traffic it was written to admit is denied and the breakage shows up elsewhere.
 *
 * <p>Only scopes the input describes are judged: a selector over a namespace with no workload in
 * the input, or a peer in a namespace the input does not hold, is not reported.
 */
final class SelectsNothingDetector implements FindingDetector {
  private static final String ISTIO_ROOT = "istio-system";

  @Override
  public Rule rule() {
    return Rule.SELECTS_NOTHING;
  }

  @Override
  public List<Finding> detect(AnalysisInput in) {
    Scope scope = new Scope(in.model());
    List<Finding> out = new ArrayList<>();
    for (NetworkPolicy p : in.model().networkPolicies()) {
      String name = "NetworkPolicy " + p.qualifiedName();
      List<Workload> candidates = scope.in(p.namespace());
      if (!p.podSelector().isEmpty() && !candidates.isEmpty() && scope.none(p.podSelector(), candidates)) {
        out.add(policyFinding(name, p.podSelector(), candidates, "podSelector", p.origin(),
            "its pods are not protected by it"));
      }
      peers(p, p.ingress(), true, scope, out);
      peers(p, p.egress(), false, scope, out);
    }
    List<AdminNetworkPolicy> admin = new ArrayList<>(in.model().adminNetworkPolicies());
    in.model().baselineAdminNetworkPolicy().ifPresent(admin::add);
    for (AdminNetworkPolicy p : admin) {
      String name = (p.baseline() ? "BaselineAdminNetworkPolicy " : "AdminNetworkPolicy ") + p.name();
      subject(name + " subject", p.subject(), scope, p.origin(), "no pod is governed by it", out);
      for (boolean ingress : new boolean[] {true, false}) {
        List<AdminNetworkPolicy.Rule> rules = ingress ? p.ingress() : p.egress();
        for (int i = 0; i < rules.size(); i++) {
          List<AdminNetworkPolicy.Peer> peers = rules.get(i).peers();
          for (int j = 0; j < peers.size(); j++) {
            if (peers.get(j).pods() != null) {
              subject((ingress ? "ingress" : "egress") + " rule " + (i + 1) + " of " + name + ", peer " + (j + 1),
                  peers.get(j).pods(), scope, p.origin(), "the rule matches no traffic from or to it", out);
            }
          }
        }
      }
    }
    for (ClusterNetworkPolicy p : in.model().clusterNetworkPolicies()) {
      String name = "ClusterNetworkPolicy " + p.name();
      subject(name + " subject", p.subject(), scope, p.origin(), "no pod is governed by it", out);
      for (boolean ingress : new boolean[] {true, false}) {
        List<ClusterNetworkPolicy.Rule> rules = ingress ? p.ingress() : p.egress();
        for (int i = 0; i < rules.size(); i++) {
          List<ClusterNetworkPolicy.Peer> peers = rules.get(i).peers();
          for (int j = 0; j < peers.size(); j++) {
            if (peers.get(j).pods() != null) {
              subject((ingress ? "ingress" : "egress") + " rule " + (i + 1) + " of " + name + ", peer " + (j + 1),
                  peers.get(j).pods(), scope, rules.get(i).origin(), "the rule matches no traffic from or to it", out);
            }
          }
        }
      }
    }
    for (MeshResource r : in.model().meshResources()) {
      if (r.kind().equals("AuthorizationPolicy") && r.apiVersion().startsWith("security.istio.io/")) {
        authorizationPolicy(r, scope, out);
      }
    }
    return out;
  }

  private void peers(NetworkPolicy p, List<NetworkPolicy.Rule> rules, boolean ingress, Scope scope,
      List<Finding> out) {
    if (!(ingress ? p.affectsIngress() : p.affectsEgress())) {
      return;
    }
    for (int i = 0; i < rules.size(); i++) {
      List<NetworkPolicy.Peer> peers = rules.get(i).peers();
      for (int j = 0; j < peers.size(); j++) {
        NetworkPolicy.Peer peer = peers.get(j);
        if (peer.ipBlock() != null) {
          continue;
        }
        String where = OverBroadRuleDetector.locus(p, ingress, i + 1) + ", peer " + (j + 1);
        String effect = (ingress ? "connections from" : "connections to") + " the pods it was meant to name are denied";
        LabelSelector nsSel = peer.namespaceSelector();
        List<Workload> candidates;
        if (nsSel == null) {
          candidates = scope.in(p.namespace());
        } else {
          List<String> namespaces = scope.namespacesMatching(nsSel);
          if (namespaces.isEmpty()) {
            if (!nsSel.isEmpty()) {
              out.add(namespaceFinding(where, nsSel, scope, p.origin()));
            }
            continue;
          }
          candidates = scope.in(namespaces);
        }
        LabelSelector podSel = peer.podSelector();
        if (podSel != null && !podSel.isEmpty() && !candidates.isEmpty() && scope.none(podSel, candidates)) {
          out.add(policyFinding(where, podSel, candidates, "podSelector", p.origin(), effect));
        }
      }
    }
  }

  private void subject(String where, AdminNetworkPolicy.Subject s, Scope scope, Origin origin, String effect,
      List<Finding> out) {
    List<String> namespaces = scope.namespacesMatching(s.namespaceSelector());
    if (namespaces.isEmpty()) {
      if (!s.namespaceSelector().isEmpty()) {
        out.add(namespaceFinding(where, s.namespaceSelector(), scope, origin));
      }
      return;
    }
    List<Workload> candidates = scope.in(namespaces);
    LabelSelector podSel = s.podSelector();
    if (podSel != null && !podSel.isEmpty() && !candidates.isEmpty() && scope.none(podSel, candidates)) {
      out.add(policyFinding(where, podSel, candidates, "podSelector", origin, effect));
    }
  }

  private void authorizationPolicy(MeshResource r, Scope scope, List<Finding> out) {
    String name = "AuthorizationPolicy " + r.namespace() + "/" + r.name();
    Map<String, Object> selector = map(r.spec().get("selector"));
    Map<String, Object> matchLabels = map(selector.get("matchLabels"));
    if (!matchLabels.isEmpty()) {
      Map<String, String> labels = new java.util.TreeMap<>();
      matchLabels.forEach((k, v) -> labels.put(k, String.valueOf(v)));
      LabelSelector sel = new LabelSelector(labels, List.of());
      List<Workload> candidates = r.namespace().equals(ISTIO_ROOT) ? scope.model.workloads() : scope.in(r.namespace());
      if (!candidates.isEmpty() && scope.none(sel, candidates)) {
        out.add(policyFinding(name, sel, candidates, "selector", r.origin(), "no workload's sidecar applies it"));
      }
    }
    int ruleNo = 0;
    for (Object rule : list(r.spec().get("rules"))) {
      ruleNo++;
      for (Object from : list(map(rule).get("from"))) {
        for (Object p : list(map(map(from).get("source")).get("principals"))) {
          principal(name + " rule " + ruleNo, String.valueOf(p), scope, r.origin(), out);
        }
      }
    }
  }

  /** A principal {@code <td>/ns/<ns>/sa/<sa>} naming a service account no workload of a described namespace runs as. */
  private void principal(String where, String principal, Scope scope, Origin origin, List<Finding> out) {
    String[] parts = principal.split("/");
    if (parts.length != 5 || !parts[1].equals("ns") || !parts[3].equals("sa") || principal.contains("*")) {
      return;
    }
    List<Workload> candidates = scope.in(parts[2]);
    if (candidates.isEmpty() || candidates.stream().anyMatch(w -> w.serviceAccount().equals(parts[4]))) {
      return;
    }
    String nearest = candidates.stream().map(Workload::serviceAccount).distinct()
        .min(Comparator.comparingInt((String sa) -> EditDistance.levenshtein(sa, parts[4])).thenComparing(sa -> sa))
        .map(sa -> "; nearest: service account " + sa).orElse("");
    out.add(new Finding(rule(), Severity.MEDIUM,
        where + " names principal " + principal + ", which no workload runs as" + nearest, where,
        List.of("service accounts in namespace " + parts[2] + ": "
            + String.join(", ", new TreeSet<>(candidates.stream().map(Workload::serviceAccount).toList()))),
        origin, "Correct the principal to the service account the calling pods run as (spec.serviceAccountName);"
            + " until then the requests it was meant to admit are denied."));
  }

  private Finding policyFinding(String where, LabelSelector sel, List<Workload> candidates, String field,
      Origin origin, String effect) {
    String nearest = NearestLabels.nearest(sel, candidates);
    return new Finding(rule(), Severity.MEDIUM,
        where + " selects nothing: " + field + " " + NearestLabels.text(sel) + nearest, where,
        List.of(field + " " + NearestLabels.text(sel) + " matches none of " + candidates.size() + " workload"
            + (candidates.size() == 1 ? "" : "s") + " in scope: " + effect),
        origin, "Correct the selector to the labels the pods carry (kubectl get pods --show-labels), or delete"
            + " the policy if its workloads are gone.");
  }

  private Finding namespaceFinding(String where, LabelSelector nsSel, Scope scope, Origin origin) {
    return new Finding(rule(), Severity.LOW,
        where + " selects no namespace of the input: namespaceSelector " + NearestLabels.text(nsSel), where,
        List.of("namespaces of the input: " + String.join(", ", new TreeSet<>(scope.model.namespaces().keySet()))),
        origin, "Check the namespace labels (kubectl get ns --show-labels); if the namespace lives elsewhere,"
            + " include its manifests in the analysis.");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }

  /**
   * The workloads and namespaces of the input, for selectors to be judged against. Workloads are
   * indexed by namespace, and the answers for a list of namespaces and for a selector over a list
   * of candidates are kept: thousands of policies name the same few scopes, and each was a pass over
   * every workload.
   */
  private static final class Scope {
    final ClusterModel model;
    private final Map<String, List<Workload>> byNamespace = new java.util.HashMap<>();
    private final Map<List<String>, List<Workload>> inNamespaces = new java.util.HashMap<>();
    private final Map<LabelSelector, List<String>> matchingNamespaces = new java.util.HashMap<>();
    private final Map<List<Workload>, Map<LabelSelector, Boolean>> noneOf = new java.util.IdentityHashMap<>();

    Scope(ClusterModel model) {
      this.model = model;
      for (Workload w : model.workloads()) {
        byNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w);
      }
    }

    List<Workload> in(String namespace) {
      return byNamespace.getOrDefault(namespace, List.of());
    }

    /** The workloads of {@code namespaces}, in the model's order. */
    List<Workload> in(List<String> namespaces) {
      return inNamespaces.computeIfAbsent(namespaces, k -> {
        java.util.Set<String> wanted = new java.util.HashSet<>(k);
        return model.workloads().stream().filter(w -> wanted.contains(w.namespace())).toList();
      });
    }

    List<String> namespacesMatching(LabelSelector s) {
      return matchingNamespaces.computeIfAbsent(s, k -> model.namespaces().values().stream()
          .filter(ns -> k.matches(ns.labels())).map(ns -> ns.name()).sorted().toList());
    }

    boolean none(LabelSelector s, List<Workload> candidates) {
      return noneOf.computeIfAbsent(candidates, k -> new java.util.HashMap<>())
          .computeIfAbsent(s, k -> candidates.stream().noneMatch(w -> k.matches(w.podLabels())));
    }
  }
}
