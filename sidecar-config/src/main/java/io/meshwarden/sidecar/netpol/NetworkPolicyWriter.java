package io.meshwarden.sidecar.netpol;

import io.meshwarden.model.Protocol;
import io.meshwarden.sidecar.Yaml;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PortRule;
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
 * Writes a PolicySet as {@code networking.k8s.io/v1} NetworkPolicies. Per namespace: a default deny
 * for every pod, then per workload an allow policy whose rules name exactly the intent's peers and
 * ports. A rule whose peers cannot be expressed is dropped, never written with an empty peer list
 * (which would mean everyone). Deterministic; stateless.
 */
public final class NetworkPolicyWriter {
  static final String NAME_LABEL = "kubernetes.io/metadata.name";
  static final String DEFAULT_DENY = "meshwarden-default-deny";

  private NetworkPolicyWriter() {}

  public static String write(PolicySet set) {
    Map<String, List<WorkloadPolicy>> byNamespace = new TreeMap<>();
    for (WorkloadPolicy wp : set.policies()) {
      byNamespace.computeIfAbsent(wp.namespace(), n -> new ArrayList<>()).add(wp);
    }
    List<Map<String, Object>> docs = new ArrayList<>();
    for (var e : byNamespace.entrySet()) {
      docs.add(policy(e.getKey(), DEFAULT_DENY, Map.of(), Map.of(), List.of(), List.of()));
      List<WorkloadPolicy> workloads = e.getValue().stream()
          .sorted(Comparator.comparing(WorkloadPolicy::workloadName).thenComparing(WorkloadPolicy::workloadId)).toList();
      Set<String> names = new TreeSet<>();
      for (WorkloadPolicy wp : workloads) {
        docs.add(allow(wp, uniqueName(wp, names)));
      }
    }
    return Yaml.dumpAll(docs);
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
    List<Map<String, Object>> ingress = new ArrayList<>();
    Set<Integer> kubeletPorts = new TreeSet<>();
    for (PortRule r : wp.ingress()) {
      List<Map<String, Object>> from = new ArrayList<>();
      for (Peer p : r.peers().stream().sorted().toList()) {
        if (p.kind() == Peer.Kind.KUBELET) {
          kubeletPorts.add(r.port());
        } else {
          from.add(peer(p));
        }
      }
      addRule(ingress, "from", from, List.of(port(r.protocol(), r.port())));
    }
    List<Map<String, Object>> egress = new ArrayList<>();
    for (PortRule r : wp.egress()) {
      List<Map<String, Object>> to = new ArrayList<>();
      for (Peer p : r.peers().stream().sorted().toList()) {
        if (p.kind() == Peer.Kind.KUBE_DNS) {
          addRule(egress, "to", List.of(peer(p)), List.of(port(Protocol.UDP, 53), port(Protocol.TCP, 53)));
        } else if (p.kind() != Peer.Kind.KUBELET) {
          to.add(peer(p));
        }
      }
      addRule(egress, "to", to, List.of(port(r.protocol(), r.port())));
    }
    Map<String, String> annotations = new TreeMap<>();
    annotations.put("meshwarden.io/workload", wp.workloadId());
    if (!kubeletPorts.isEmpty()) {
      annotations.put("meshwarden.io/kubelet-probe-ports", String.join(",", kubeletPorts.stream().map(String::valueOf)
          .toList()) + " (NetworkPolicy cannot select the kubelet; node-to-pod traffic is left to the CNI)");
    }
    return policy(wp.namespace(), name, wp.podLabels(), annotations, ingress, egress);
  }

  /** Appends a rule unless it has no peers (an empty peer list allows everyone) or repeats one. */
  private static void addRule(List<Map<String, Object>> rules, String key, List<Map<String, Object>> peers,
      List<Map<String, Object>> ports) {
    if (peers.isEmpty()) {
      return;
    }
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put(key, List.copyOf(new LinkedHashSet<>(peers)));
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
      Map<String, String> annotations, List<Map<String, Object>> ingress, List<Map<String, Object>> egress) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    if (!annotations.isEmpty()) {
      metadata.put("annotations", annotations);
    }
    metadata.put("labels", Map.of("app.kubernetes.io/managed-by", "meshwarden"));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("podSelector", podLabels.isEmpty() ? Map.of() : Map.of("matchLabels", podLabels));
    spec.put("policyTypes", List.of("Ingress", "Egress"));
    if (!ingress.isEmpty()) {
      spec.put("ingress", ingress);
    }
    if (!egress.isEmpty()) {
      spec.put("egress", egress);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", "networking.k8s.io/v1");
    doc.put("kind", "NetworkPolicy");
    doc.put("metadata", metadata);
    doc.put("spec", spec);
    return doc;
  }
}
