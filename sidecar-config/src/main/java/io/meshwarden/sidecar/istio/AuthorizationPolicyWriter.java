package io.meshwarden.sidecar.istio;

import io.meshwarden.sidecar.EvidenceComments;
import io.meshwarden.sidecar.Yaml;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.Scope;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a PolicySet as Istio AuthorizationPolicies: per workload whose ingress the evidence
 * covered, one ALLOW policy that selects exactly that workload; it denies what it does not match
 * for that workload only. There is no namespace-wide {@code allow-nothing}: a workload without
 * evidence is selected by nothing. When the scope covers only some ports, one more rule admits any
 * source on every other port ({@code notPorts}), so what no source watched stays open. A rule whose
 * sources cannot be expressed is dropped (a rule without {@code from} would admit every source).
 * Stateless.
 */
public final class AuthorizationPolicyWriter {
  private AuthorizationPolicyWriter() {}

  public static String write(PolicySet set, boolean dryRun) {
    Map<String, List<WorkloadPolicy>> byNamespace = new TreeMap<>();
    for (WorkloadPolicy wp : set.policies()) {
      if (wp.ingressScope().extent() != Scope.Extent.OPEN) {
        byNamespace.computeIfAbsent(wp.namespace(), n -> new ArrayList<>()).add(wp);
      }
    }
    List<Map<String, Object>> docs = new ArrayList<>();
    for (var e : byNamespace.entrySet()) {
      List<WorkloadPolicy> workloads = e.getValue().stream()
          .sorted(Comparator.comparing(WorkloadPolicy::workloadName).thenComparing(WorkloadPolicy::workloadId)).toList();
      List<String> names = new ArrayList<>();
      for (WorkloadPolicy wp : workloads) {
        String name = "meshwarden-allow-" + wp.workloadName();
        if (names.contains(name)) {
          String[] id = wp.workloadId().split("/");
          name = name + "-" + (id.length == 3 ? id[1] : "workload").toLowerCase(java.util.Locale.ROOT);
        }
        names.add(name);
        List<Map<String, Object>> rules = new ArrayList<>();
        for (PortRule r : wp.ingress()) {
          Map<String, Object> rule = rule(r);
          if (rule != null && !rules.contains(rule)) {
            rules.add(rule);
          }
        }
        if (wp.ingressScope().extent() == Scope.Extent.PORTS) {
          List<String> watched = wp.ingressScope().ports().stream().map(p -> String.valueOf(p.port())).distinct()
              .toList();
          rules.add(Map.of("to", List.of(Map.of("operation", Map.of("notPorts", watched)))));
        }
        docs.add(policy(wp.namespace(), name, wp, dryRun, wp.podLabels(), rules));
      }
    }
    return EvidenceComments.of(set.evidence()) + Yaml.dumpAll(docs);
  }

  /** One port rule → one Istio rule; null when no source can be expressed. */
  private static Map<String, Object> rule(PortRule r) {
    List<String> principals = new ArrayList<>();
    List<String> ipBlocks = new ArrayList<>();
    for (Peer p : r.peers().stream().sorted().toList()) {
      switch (p.kind()) {
        case WORKLOAD -> {
          if (p.principal() != null && !p.principal().isEmpty()) {
            principals.add(p.principal().startsWith("spiffe://") ? p.principal().substring(9) : p.principal());
          }
        }
        case CIDR -> ipBlocks.add(p.cidr());
        // Istio rewrites probes through its agent; they never reach the policy. DNS is egress.
        default -> { }
      }
    }
    List<Map<String, Object>> from = new ArrayList<>();
    if (!principals.isEmpty()) {
      from.add(Map.of("source", Map.of("principals", principals)));
    }
    if (!ipBlocks.isEmpty()) {
      from.add(Map.of("source", Map.of("ipBlocks", ipBlocks)));
    }
    if (from.isEmpty()) {
      return null;
    }
    List<Map<String, Object>> to = new ArrayList<>();
    String port = String.valueOf(r.port());
    if (!r.isHttp()) {
      to.add(Map.of("operation", Map.of("ports", List.of(port))));
    }
    // One operation per request shape: methods and paths inside one operation are ANDed as sets.
    for (HttpMatch m : r.http().stream().sorted().toList()) {
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("ports", List.of(port));
      if (m.method() != null) {
        op.put("methods", List.of(m.method()));
      }
      op.put("paths", List.of(m.prefix() ? m.path() + "*" : m.path()));
      to.add(Map.of("operation", op));
    }
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("from", from);
    rule.put("to", to);
    return rule;
  }

  private static Map<String, Object> policy(String namespace, String name, WorkloadPolicy wp, boolean dryRun,
      Map<String, String> podLabels, List<Map<String, Object>> rules) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    Map<String, String> annotations = new TreeMap<>();
    if (dryRun) {
      annotations.put("istio.io/dry-run", "true");
    }
    if (wp != null) {
      annotations.putAll(EvidenceComments.annotations(wp));
    }
    if (!annotations.isEmpty()) {
      metadata.put("annotations", annotations);
    }
    metadata.put("labels", Map.of("app.kubernetes.io/managed-by", "meshwarden"));
    Map<String, Object> spec = new LinkedHashMap<>();
    if (wp != null) {
      // An empty selector would select the whole namespace; a workload always has labels to select it.
      spec.put("selector", Map.of("matchLabels", podLabels));
      spec.put("action", "ALLOW");
      if (!rules.isEmpty()) {
        spec.put("rules", rules);
      }
    }
    return Yaml.object("security.istio.io/v1", "AuthorizationPolicy", metadata, spec);
  }
}
