package io.meshwarden.sidecar.netpol;

import io.meshwarden.model.Protocol;
import io.meshwarden.sidecar.EvidenceComments;
import io.meshwarden.sidecar.Yaml;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.Scope;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes a PolicySet as {@code networking.k8s.io/v1} NetworkPolicies: per workload with evidence an
 * allow policy that selects exactly that workload and names the intent's peers and ports. There is
 * no namespace-wide default deny: a workload the set has no policy for (no evidence) is selected by
 * nothing and keeps the ingress and egress it has. A direction the policy's scope leaves open is not
 * among its policyTypes; a direction restricted on some ports only gets a rule that admits everyone
 * on every other port. A rule whose peers cannot be expressed is dropped, never written with an
 * empty peer list (which would mean everyone). The evidence (window, sources, what they cannot see,
 * workloads without policy) leads the output as comments and each policy's scope is in its
 * annotations. Deterministic; stateless.
 */
public final class NetworkPolicyWriter {
  static final String NAME_LABEL = "kubernetes.io/metadata.name";

  private NetworkPolicyWriter() {}

  public static String write(PolicySet set) {
    Map<String, List<WorkloadPolicy>> byNamespace = new TreeMap<>();
    for (WorkloadPolicy wp : set.policies()) {
      byNamespace.computeIfAbsent(wp.namespace(), n -> new ArrayList<>()).add(wp);
    }
    List<Map<String, Object>> docs = new ArrayList<>();
    for (var e : byNamespace.entrySet()) {
      List<WorkloadPolicy> workloads = e.getValue().stream()
          .sorted(Comparator.comparing(WorkloadPolicy::workloadName).thenComparing(WorkloadPolicy::workloadId)).toList();
      Set<String> names = new TreeSet<>();
      for (WorkloadPolicy wp : workloads) {
        if (wp.ingressScope().extent() == Scope.Extent.OPEN && wp.egressScope().extent() == Scope.Extent.OPEN) {
          continue;
        }
        docs.add(allow(wp, uniqueName(wp, names)));
      }
    }
    return EvidenceComments.of(set.evidence()) + Yaml.dumpAll(docs);
  }

  /** {@code meshwarden-allow-NAME}; a second workload of the same name (another kind) adds its kind. */
  private static String uniqueName(WorkloadPolicy wp, Set<String> taken) {
    String name = "meshwarden-allow-" + wp.workloadName();
    if (!taken.add(name)) {
      String[] id = wp.workloadId().split("/");
      name = name + "-" + (id.length == 3 ? id[1] : "workload").toLowerCase(java.util.Locale.ROOT);
      taken.add(name);
    }
    return name;
  }

  private static Map<String, Object> allow(WorkloadPolicy wp, String name) {
    Set<Integer> kubeletPorts = new TreeSet<>();
    CompactRules from = new CompactRules();
    for (PortRule r : wp.ingress()) {
      for (Peer p : r.peers().stream().sorted().toList()) {
        if (p.kind() == Peer.Kind.KUBELET) {
          kubeletPorts.add(r.port());
        } else {
          from.add(r.protocol(), r.port(), peer(p));
        }
      }
    }
    List<Map<String, Object>> ingress = new ArrayList<>(from.rules("from"));
    List<Map<String, Object>> dns = new ArrayList<>();
    CompactRules to = new CompactRules();
    for (PortRule r : wp.egress()) {
      for (Peer p : r.peers().stream().sorted().toList()) {
        if (p.kind() == Peer.Kind.KUBE_DNS) {
          addRule(dns, "to", List.of(peer(p)), List.of(port(Protocol.UDP, 53), port(Protocol.TCP, 53)));
        } else if (p.kind() != Peer.Kind.KUBELET) {
          to.add(r.protocol(), r.port(), peer(p));
        }
      }
    }
    List<Map<String, Object>> egress = new ArrayList<>(to.rules("to"));
    egress.addAll(dns);
    List<String> types = new ArrayList<>();
    if (wp.ingressScope().extent() != Scope.Extent.OPEN) {
      types.add("Ingress");
      addRule(ingress, "from", List.of(), otherPorts(wp.ingressScope()));
    }
    if (wp.egressScope().extent() != Scope.Extent.OPEN) {
      types.add("Egress");
      addRule(egress, "to", List.of(), otherPorts(wp.egressScope()));
    }
    Map<String, String> annotations = EvidenceComments.annotations(wp);
    if (!kubeletPorts.isEmpty()) {
      annotations.put("meshwarden.io/kubelet-probe-ports", String.join(",", kubeletPorts.stream().map(String::valueOf)
          .toList()) + " (NetworkPolicy cannot select the kubelet; node-to-pod traffic is left to the CNI)");
    }
    return policy(wp.namespace(), name, wp.podLabels(), annotations, types, ingress, egress);
  }

  /**
   * Every port but the ones a PORTS scope restricts, per protocol, as NetworkPolicy ports with
   * ranges; empty for the other extents.
   */
  static List<Map<String, Object>> otherPorts(Scope scope) {
    if (scope.extent() != Scope.Extent.PORTS) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Protocol protocol : List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP)) {
      TreeSet<Integer> covered = new TreeSet<>();
      scope.ports().stream().filter(p -> p.protocol() == protocol).forEach(p -> covered.add(p.port()));
      if (covered.isEmpty()) {
        out.add(Map.of("protocol", protocol.name()));
        continue;
      }
      int from = 1;
      for (int port : covered) {
        range(out, protocol, from, port - 1);
        from = port + 1;
      }
      range(out, protocol, from, 65535);
    }
    return out;
  }

  private static void range(List<Map<String, Object>> out, Protocol protocol, int from, int to) {
    if (from > to) {
      return;
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("port", from);
    if (to > from) {
      p.put("endPort", to);
    }
    p.put("protocol", protocol.name());
    out.add(p);
  }

  /**
   * Appends a rule unless it has no peers (an empty peer list allows everyone) or repeats one; with
   * no peers but ports, it is the deliberate "everyone, on the ports no source watched" rule.
   */
  private static void addRule(List<Map<String, Object>> rules, String key, List<Map<String, Object>> peers,
      List<Map<String, Object>> ports) {
    if (peers.isEmpty() && ports.isEmpty()) {
      return;
    }
    Map<String, Object> rule = new LinkedHashMap<>();
    if (!peers.isEmpty()) {
      rule.put(key, List.copyOf(new LinkedHashSet<>(peers)));
    }
    rule.put("ports", ports);
    if (!rules.contains(rule)) {
      rules.add(rule);
    }
  }

  static Map<String, Object> peer(Peer p) {
    if (p.kind() == Peer.Kind.CIDR) {
      return Map.of("ipBlock", Map.of("cidr", p.cidr()));
    }
    return Map.of(
        "namespaceSelector", Map.of("matchLabels", Map.of(NAME_LABEL, p.namespace())),
        "podSelector", p.podLabels().isEmpty() ? Map.of() : Map.of("matchLabels", p.podLabels()));
  }

  private static Map<String, Object> port(Protocol protocol, int port) {
    return Map.of("port", port, "protocol", protocol.name());
  }

  private static Map<String, Object> policy(String namespace, String name, Map<String, String> podLabels,
      Map<String, String> annotations, List<String> policyTypes, List<Map<String, Object>> ingress,
      List<Map<String, Object>> egress) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    if (!annotations.isEmpty()) {
      metadata.put("annotations", annotations);
    }
    metadata.put("labels", Map.of("app.kubernetes.io/managed-by", "meshwarden"));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("podSelector", podLabels.isEmpty() ? Map.of() : Map.of("matchLabels", podLabels));
    spec.put("policyTypes", policyTypes);
    if (!ingress.isEmpty()) {
      spec.put("ingress", ingress);
    }
    if (!egress.isEmpty()) {
      spec.put("egress", egress);
    }
    return Yaml.object("networking.k8s.io/v1", "NetworkPolicy", metadata, spec);
  }
}
