package io.meshwarden.sidecar.netpol;

import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.ClusterNetworkPolicy;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.PolicyPort;
import io.meshwarden.sidecar.EvidenceComments;
import io.meshwarden.sidecar.Yaml;
import io.meshwarden.synthesis.NamespaceGuardrails;
import io.meshwarden.synthesis.PolicySet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes namespace guardrails ({@link NamespaceGuardrails}) as policy.networking.k8s.io/v1alpha2
 * ClusterNetworkPolicies. The set's evidence leads as comments, followed by the namespaces left
 * without a guardrail and why; each policy's annotations say which namespaces it accepts on how
 * many observed flows. Deterministic; stateless.
 */
public final class ClusterNetworkPolicyWriter {
  private ClusterNetworkPolicyWriter() {}

  public static String write(PolicySet set, NamespaceGuardrails.Result guardrails) {
    StringBuilder head = new StringBuilder(EvidenceComments.of(set.evidence()));
    if (!guardrails.withheld().isEmpty()) {
      head.append("# no guardrail (not enough evidence; traffic into these namespaces is unchanged):\n");
      guardrails.withheld().forEach(u -> head.append("#   ").append(u.workloadId()).append(": ").append(u.reason())
          .append('\n'));
    }
    List<Map<String, Object>> docs = new ArrayList<>();
    for (ClusterNetworkPolicy p : guardrails.policies()) {
      docs.add(policy(p, guardrails.accepted().getOrDefault(p.name(), Map.of())));
    }
    return head + Yaml.dumpAll(docs);
  }

  static Map<String, Object> policy(ClusterNetworkPolicy p, Map<String, Long> accepted) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", p.name());
    if (!accepted.isEmpty()) {
      List<String> parts = new ArrayList<>();
      accepted.forEach((ns, flows) -> parts.add(ns + " (" + flows + " flows)"));
      meta.put("annotations", Map.of("meshwarden.io/accepted-namespaces", String.join(", ", parts)
          + "; the namespace itself is always accepted"));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("tier", p.tier().name());
    spec.put("priority", p.priority());
    spec.put("subject", peer(p.subject()));
    if (!p.ingress().isEmpty()) {
      spec.put("ingress", rules(p.ingress(), "from"));
    }
    if (!p.egress().isEmpty()) {
      spec.put("egress", rules(p.egress(), "to"));
    }
    return Yaml.object("policy.networking.k8s.io/v1alpha2", "ClusterNetworkPolicy", meta, spec);
  }

  private static List<Object> rules(List<ClusterNetworkPolicy.Rule> rules, String peersField) {
    List<Object> out = new ArrayList<>();
    for (ClusterNetworkPolicy.Rule r : rules) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("name", r.name());
      rule.put("action", r.action().name());
      List<Object> peers = new ArrayList<>();
      for (ClusterNetworkPolicy.Peer p : r.peers()) {
        if (p.pods() != null) {
          peers.add(peer(p.pods()));
        } else if (!p.networks().isEmpty()) {
          peers.add(Map.of("networks", p.networks()));
        }
      }
      rule.put(peersField, peers);
      if (!r.protocols().isEmpty()) {
        List<Object> protocols = new ArrayList<>();
        for (PolicyPort port : r.protocols()) {
          Object destination = port.endPort() > 0
              ? Map.of("range", Map.of("start", port.port().number(), "end", port.endPort()))
              : Map.of("number", port.port().number());
          protocols.add(Map.of(port.protocol().name().toLowerCase(Locale.ROOT), Map.of("destinationPort", destination)));
        }
        rule.put("protocols", protocols);
      }
      out.add(rule);
    }
    return out;
  }

  /** A {@code namespaces} selector when no pod selector is set, else a {@code pods} one. */
  private static Map<String, Object> peer(AdminNetworkPolicy.Subject s) {
    if (s.podSelector() == null) {
      return Map.of("namespaces", selector(s.namespaceSelector()));
    }
    return Map.of("pods", Map.of("namespaceSelector", selector(s.namespaceSelector()),
        "podSelector", selector(s.podSelector())));
  }

  private static Map<String, Object> selector(LabelSelector s) {
    Map<String, Object> out = new TreeMap<>();
    if (!s.matchLabels().isEmpty()) {
      out.put("matchLabels", new TreeMap<>(s.matchLabels()));
    }
    if (!s.matchExpressions().isEmpty()) {
      List<Object> exprs = new ArrayList<>();
      for (LabelSelector.Requirement r : s.matchExpressions()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("key", r.key());
        e.put("operator", r.operator().name());
        e.put("values", new ArrayList<>(r.values()));
        exprs.add(e);
      }
      out.put("matchExpressions", exprs);
    }
    return out;
  }
}
