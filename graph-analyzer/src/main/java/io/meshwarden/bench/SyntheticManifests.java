package io.meshwarden.bench;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.IpBlock;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.Namespace;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.PolicyPort;
import io.meshwarden.model.Workload;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Writes a {@link SyntheticCluster} as the files a user brings: one multi-document YAML file of
 * Namespaces, Deployments, Services and NetworkPolicies as {@code kubectl get -o yaml} would show
 * them, and a Hubble flow log of the calls between its workloads. Benchmarks then run the real
 * command paths (YAML parsing included) on them. The same spec always writes the same bytes.
 */
public final class SyntheticManifests {
  /** Each workload calls the ones this many places after it in its namespace. */
  private static final int[] CALLEES = {1, 2, 5};
  /** One workload in this many gets a LoadBalancer Service: the cluster's ways in. */
  private static final int LOAD_BALANCER_EVERY = 100;

  private SyntheticManifests() {}

  /** Writes the cluster of {@code spec} (policies included) to {@code out}. */
  public static void writeCluster(SyntheticCluster.Spec spec, Path out) throws IOException {
    ClusterModel m = SyntheticCluster.generate(spec);
    try (Writer w = writer(out)) {
      StringBuilder sb = new StringBuilder(4096);
      for (Namespace n : m.namespaces().values()) {
        sb.setLength(0);
        namespace(sb, n);
        w.append(sb);
      }
      int i = 0;
      for (Workload wl : m.workloads()) {
        sb.setLength(0);
        deployment(sb, wl);
        service(sb, wl, i++ % LOAD_BALANCER_EVERY == 0);
        w.append(sb);
      }
      writePolicies(m.networkPolicies(), w, sb);
    }
  }

  /** Writes only NetworkPolicies to {@code out}: a policy set for {@code diff} and {@code dry-run}. */
  public static void writePolicies(List<NetworkPolicy> policies, Path out) throws IOException {
    try (Writer w = writer(out)) {
      writePolicies(policies, w, new StringBuilder(4096));
    }
  }

  /**
   * Writes {@code lines} Hubble flow lines ({@code hubble observe -o json}) of calls between the
   * workloads of {@code model}: each calls three others in its namespace on its {@code http} port.
   */
  public static void writeFlows(ClusterModel model, long lines, long seed, Path out) throws IOException {
    List<Workload> ws = model.workloads();
    Map<String, List<Workload>> byNamespace = new TreeMap<>();
    for (Workload w : ws) {
      byNamespace.computeIfAbsent(w.namespace(), k -> new java.util.ArrayList<>()).add(w);
    }
    Random rnd = new Random(seed);
    long t0 = Instant.parse("2024-05-01T00:00:00Z").getEpochSecond();
    StringBuilder sb = new StringBuilder(1024);
    try (Writer w = writer(out)) {
      for (long i = 0; i < lines; i++) {
        Workload src = ws.get(rnd.nextInt(ws.size()));
        List<Workload> peers = byNamespace.get(src.namespace());
        Workload dst = peers.get((peers.indexOf(src) + CALLEES[rnd.nextInt(CALLEES.length)]) % peers.size());
        if (dst == src) {
          continue;
        }
        sb.setLength(0);
        int port = dst.containers().get(0).ports().get(0).port();
        sb.append("{\"flow\":{\"time\":\"").append(Instant.ofEpochSecond(t0 + i / 100))
            .append("\",\"verdict\":\"FORWARDED\",\"IP\":{\"source\":\"10.0.0.1\",\"destination\":\"10.0.0.2\",")
            .append("\"ipVersion\":\"IPv4\"},\"l4\":{\"TCP\":{\"source_port\":").append(32768 + rnd.nextInt(28000))
            .append(",\"destination_port\":").append(port).append(",\"flags\":{\"SYN\":true}}},\"source\":");
        endpoint(sb, src);
        sb.append(",\"destination\":");
        endpoint(sb, dst);
        sb.append(",\"Type\":\"L3_L4\",\"traffic_direction\":\"EGRESS\",\"is_reply\":false},\"node_name\":\"node-1\"}\n");
        w.append(sb);
      }
    }
  }

  private static void endpoint(StringBuilder sb, Workload w) {
    sb.append("{\"namespace\":\"").append(w.namespace()).append("\",\"labels\":[");
    boolean first = true;
    for (Map.Entry<String, String> l : new TreeMap<>(w.podLabels()).entrySet()) {
      sb.append(first ? "" : ",").append("\"k8s:").append(l.getKey()).append('=').append(l.getValue()).append('"');
      first = false;
    }
    sb.append("],\"pod_name\":\"").append(w.name()).append("-6b746f74dc-ffh5x\"}");
  }

  private static Writer writer(Path out) throws IOException {
    return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8), 1 << 20);
  }

  private static void writePolicies(List<NetworkPolicy> policies, Writer w, StringBuilder sb) throws IOException {
    for (NetworkPolicy p : policies) {
      sb.setLength(0);
      policy(sb, p);
      w.append(sb);
    }
  }

  private static void namespace(StringBuilder sb, Namespace n) {
    sb.append("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ").append(n.name()).append('\n');
    labels(sb, "  labels:", "    ", n.labels());
  }

  private static void deployment(StringBuilder sb, Workload w) {
    sb.append("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ").append(w.name())
        .append("\n  namespace: ").append(w.namespace()).append('\n');
    labels(sb, "  labels:", "    ", Map.of("app", w.podLabels().get("app")));
    sb.append("spec:\n  replicas: ").append(w.replicas()).append("\n  selector:\n");
    labels(sb, "    matchLabels:", "      ", w.podLabels());
    sb.append("  template:\n    metadata:\n");
    labels(sb, "      labels:", "        ", w.podLabels());
    sb.append("    spec:\n      serviceAccountName: ").append(w.serviceAccount()).append("\n      containers:\n");
    for (var c : w.containers()) {
      sb.append("      - name: ").append(c.name()).append("\n        image: ").append(image(w))
          .append("\n        ports:\n");
      for (ContainerPort p : c.ports()) {
        sb.append("        - name: ").append(p.name()).append("\n          containerPort: ").append(p.port())
            .append("\n          protocol: ").append(p.protocol()).append('\n');
      }
      sb.append("        readinessProbe:\n          httpGet:\n            path: /healthz\n            port: http\n");
    }
  }

  /** Datastores and caches run images that say so: the analysis counts them as sensitive. */
  private static String image(Workload w) {
    return switch (w.podLabels().getOrDefault("tier", "")) {
      case "db" -> "docker.io/library/postgres:16";
      case "cache" -> "docker.io/library/redis:7";
      default -> "registry.example/" + w.podLabels().get("app") + ":1";
    };
  }

  private static void service(StringBuilder sb, Workload w, boolean loadBalancer) {
    sb.append("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ").append(w.name())
        .append("\n  namespace: ").append(w.namespace()).append("\nspec:\n  type: ")
        .append(loadBalancer ? "LoadBalancer" : "ClusterIP").append('\n');
    labels(sb, "  selector:", "    ", w.podLabels());
    sb.append("  ports:\n  - name: http\n    port: 80\n    targetPort: http\n    protocol: TCP\n");
  }

  private static void policy(StringBuilder sb, NetworkPolicy p) {
    sb.append("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ").append(p.name())
        .append("\n  namespace: ").append(p.namespace()).append("\nspec:\n");
    selector(sb, "  podSelector:", "    ", p.podSelector());
    sb.append("  policyTypes:\n");
    if (p.affectsIngress()) {
      sb.append("  - Ingress\n");
    }
    if (p.affectsEgress()) {
      sb.append("  - Egress\n");
    }
    rules(sb, "ingress", "from", p.ingress());
    rules(sb, "egress", "to", p.egress());
  }

  private static void rules(StringBuilder sb, String key, String peersKey, List<NetworkPolicy.Rule> rules) {
    if (rules.isEmpty()) {
      return;
    }
    sb.append("  ").append(key).append(":\n");
    for (NetworkPolicy.Rule r : rules) {
      String dash = "  - ";
      if (!r.peers().isEmpty()) {
        sb.append(dash).append(peersKey).append(":\n");
        dash = "    ";
        for (NetworkPolicy.Peer peer : r.peers()) {
          String item = "    - ";
          if (peer.ipBlock() != null) {
            ipBlock(sb, item, peer.ipBlock());
            continue;
          }
          if (peer.podSelector() != null) {
            selector(sb, item + "podSelector:", "        ", peer.podSelector());
            item = "      ";
          }
          if (peer.namespaceSelector() != null) {
            selector(sb, item + "namespaceSelector:", "        ", peer.namespaceSelector());
          }
        }
      }
      if (!r.ports().isEmpty()) {
        sb.append(dash).append("ports:\n");
        for (PolicyPort port : r.ports()) {
          sb.append("    - protocol: ").append(port.protocol()).append("\n      port: ").append(port.port())
              .append('\n');
          if (port.endPort() > 0) {
            sb.append("      endPort: ").append(port.endPort()).append('\n');
          }
        }
      }
    }
  }

  private static void ipBlock(StringBuilder sb, String item, IpBlock b) {
    sb.append(item).append("ipBlock:\n        cidr: ").append(b.cidr()).append('\n');
    if (!b.except().isEmpty()) {
      sb.append("        except:\n");
      for (String e : b.except()) {
        sb.append("        - ").append(e).append('\n');
      }
    }
  }

  private static void selector(StringBuilder sb, String head, String indent, LabelSelector s) {
    if (s.matchLabels().isEmpty() && s.matchExpressions().isEmpty()) {
      sb.append(head).append(" {}\n");
      return;
    }
    sb.append(head).append('\n');
    labels(sb, indent + "matchLabels:", indent + "  ", s.matchLabels());
    if (!s.matchExpressions().isEmpty()) {
      sb.append(indent).append("matchExpressions:\n");
      for (LabelSelector.Requirement r : s.matchExpressions()) {
        sb.append(indent).append("- key: ").append(r.key()).append('\n').append(indent).append("  operator: ")
            .append(r.operator()).append('\n');
        if (!r.values().isEmpty()) {
          sb.append(indent).append("  values: [").append(String.join(", ", r.values())).append("]\n");
        }
      }
    }
  }

  private static void labels(StringBuilder sb, String head, String indent, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return;
    }
    sb.append(head).append('\n');
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      sb.append(indent).append(e.getKey()).append(": ").append(quoted(e.getValue())).append('\n');
    }
  }

  private static String quoted(String v) {
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
