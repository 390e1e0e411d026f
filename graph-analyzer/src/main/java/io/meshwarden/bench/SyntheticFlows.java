package io.meshwarden.bench;

import io.meshwarden.ingest.traffic.Format;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Namespace;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes synthetic flow logs (Envoy JSON as Istio writes it, or {@code hubble observe -o json})
 * for a synthetic cluster of Deployments with known pod names and IPs, so that ingestion can be
 * timed on any number of lines. Each workload calls three others in its namespace, 5% of calls go
 * to the internet. Lines look like the real ones (field names, sizes, a share of
 * Hubble reply packets and of traffic to the internet, ids in paths); the same spec always writes
 * the same bytes.
 */
public final class SyntheticFlows {
  private static final int PODS_PER_WORKLOAD = 3;
  /** Each workload calls the ones this far after it: a sparse call graph, as services have. */
  private static final int[] CALLEES = {1, 2, 5};
  private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
  private static final String[] ROUTES = {"/api/v1/items/", "/api/v1/users/", "/cart/", "/healthz", "/metrics"};

  /**
   * @param namespaces namespaces of the synthetic cluster
   * @param workloadsPerNamespace Deployments per namespace (three pods each)
   */
  public record Spec(long lines, Format format, int namespaces, int workloadsPerNamespace, long seed) {
    public Spec {
      if (lines < 1 || namespaces < 1 || workloadsPerNamespace < 2 || namespaces > 250 || workloadsPerNamespace > 80) {
        throw new IllegalArgumentException(
            "need lines >= 1, 1..250 namespaces, 2..80 workloads per namespace");
      }
      if (format != Format.ENVOY_JSON && format != Format.HUBBLE_JSON) {
        throw new IllegalArgumentException("synthetic flows are envoy-json or hubble");
      }
    }
  }

  private SyntheticFlows() {}

  /** The cluster the flows are about: every pod IP and pod-name prefix resolves to one workload. */
  public static ClusterModel cluster(Spec spec) {
    ClusterModel.Builder b = ClusterModel.builder();
    Origin origin = new Origin("<synthetic>", 0);
    for (int n = 0; n < spec.namespaces(); n++) {
      b.namespace(new Namespace(ns(n), Map.of(), origin));
      for (int w = 0; w < spec.workloadsPerNamespace(); w++) {
        List<String> ips = new ArrayList<>();
        for (int p = 0; p < PODS_PER_WORKLOAD; p++) {
          ips.add(ip(n, w, p));
        }
        b.workload(new Workload(ns(n), WorkloadKind.Deployment, app(w), Map.of("app", app(w), "version", "v1"),
            List.of(), app(w), false, PODS_PER_WORKLOAD, ips, origin));
      }
    }
    return b.build();
  }

  /** Writes {@code spec.lines()} lines to {@code out}. */
  public static void write(Spec spec, Path out) throws IOException {
    Random rnd = new Random(spec.seed());
    long t0 = Instant.parse("2024-05-01T00:00:00Z").toEpochMilli() * 1000;
    StringBuilder sb = new StringBuilder(2048);
    try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8),
        1 << 20)) {
      for (long i = 0; i < spec.lines(); i++) {
        sb.setLength(0);
        Instant time = Instant.ofEpochSecond(0, (t0 + i * 37) * 1000);
        int n = rnd.nextInt(spec.namespaces());
        int src = rnd.nextInt(spec.workloadsPerNamespace());
        int dst = (src + CALLEES[rnd.nextInt(CALLEES.length)]) % spec.workloadsPerNamespace();
        Call c = new Call(time, n, src, rnd.nextInt(PODS_PER_WORKLOAD), dst, rnd.nextInt(PODS_PER_WORKLOAD),
            32768 + rnd.nextInt(28000), METHODS[rnd.nextInt(METHODS.length)], path(rnd), rnd.nextInt(20) == 0);
        if (spec.format() == Format.ENVOY_JSON) {
          envoy(sb, c, rnd.nextBoolean(), rnd);
        } else {
          hubble(sb, c, rnd.nextInt(10) < 3);
        }
        sb.append('\n');
        w.append(sb);
      }
    }
  }

  private record Call(Instant time, int ns, int src, int srcPod, int dst, int dstPod, int ephemeral, String method,
      String path, boolean internet) {}

  private static String path(Random rnd) {
    String route = ROUTES[rnd.nextInt(ROUTES.length)];
    return route.endsWith("/") ? route + rnd.nextInt(100_000) : route;
  }

  private static void envoy(StringBuilder sb, Call c, boolean inbound, Random rnd) {
    String dstHost = c.internet() ? "93.184." + (c.dst() % 250) + ".7" : ip(c.ns(), c.dst(), c.dstPod());
    String svc = app(c.dst()) + "." + ns(c.ns()) + ".svc.cluster.local";
    boolean in = inbound && !c.internet();
    sb.append("{\"start_time\":\"").append(c.time()).append("\",\"method\":\"").append(c.method())
        .append("\",\"path\":\"").append(c.path()).append("?trace=").append(rnd.nextInt(1000))
        .append("\",\"protocol\":\"HTTP/1.1\",\"response_code\":200,\"response_flags\":\"-\",")
        .append("\"response_code_details\":\"via_upstream\",\"connection_termination_details\":null,")
        .append("\"upstream_transport_failure_reason\":null,\"bytes_received\":").append(rnd.nextInt(2000))
        .append(",\"bytes_sent\":").append(rnd.nextInt(20000)).append(",\"duration\":").append(rnd.nextInt(50))
        .append(",\"upstream_service_time\":\"").append(rnd.nextInt(50)).append("\",\"x_forwarded_for\":null,")
        .append("\"user_agent\":\"Go-http-client/1.1\",\"request_id\":\"").append(new java.util.UUID(rnd.nextLong(),
            rnd.nextLong())).append("\",\"authority\":\"")
        .append(c.internet() ? "api.example.com" : app(c.dst()) + ":8080").append("\",\"upstream_host\":\"")
        .append(dstHost).append(":8080\",\"upstream_cluster\":\"");
    if (in) {
      sb.append("inbound|8080||\",\"upstream_local_address\":\"127.0.0.6:").append(c.ephemeral())
          .append("\",\"downstream_local_address\":\"").append(dstHost).append(":8080\",")
          .append("\"downstream_peer_uri_san\":\"spiffe://cluster.local/ns/").append(ns(c.ns())).append("/sa/")
          .append(app(c.src())).append("\",");
    } else {
      sb.append(c.internet() ? "PassthroughCluster" : "outbound|8080||" + svc).append("\",\"upstream_local_address\":\"")
          .append(ip(c.ns(), c.src(), c.srcPod())).append(':').append(c.ephemeral() + 1)
          .append("\",\"downstream_local_address\":\"10.96.").append(c.ns()).append('.').append(c.dst())
          .append(":8080\",");
    }
    sb.append("\"downstream_remote_address\":\"").append(ip(c.ns(), c.src(), c.srcPod())).append(':')
        .append(c.ephemeral()).append("\",\"requested_server_name\":")
        .append(in ? "\"outbound_.8080_._." + svc + "\"" : "null").append(",\"route_name\":\"default\"}");
  }

  private static void hubble(StringBuilder sb, Call c, boolean reply) {
    String srcIp = ip(c.ns(), c.src(), c.srcPod());
    String dstIp = c.internet() ? "93.184." + (c.dst() % 250) + ".7" : ip(c.ns(), c.dst(), c.dstPod());
    boolean l7 = !reply && !c.internet();
    sb.append("{\"flow\":{\"time\":\"").append(c.time()).append("\",\"verdict\":\"FORWARDED\",\"IP\":{\"source\":\"")
        .append(reply ? dstIp : srcIp).append("\",\"destination\":\"").append(reply ? srcIp : dstIp)
        .append("\",\"ipVersion\":\"IPv4\"},\"l4\":{\"TCP\":{\"source_port\":").append(reply ? 8080 : c.ephemeral())
        .append(",\"destination_port\":").append(reply ? c.ephemeral() : 8080)
        .append(",\"flags\":{\"PSH\":true,\"ACK\":true}}},\"source\":");
    if (reply) {
      endpoint(sb, c.ns(), c.dst(), c.dstPod(), c.internet());
      sb.append(",\"destination\":");
      endpoint(sb, c.ns(), c.src(), c.srcPod(), false);
    } else {
      endpoint(sb, c.ns(), c.src(), c.srcPod(), false);
      sb.append(",\"destination\":");
      endpoint(sb, c.ns(), c.dst(), c.dstPod(), c.internet());
    }
    sb.append(",\"Type\":\"").append(l7 ? "L7" : "L3_L4").append("\",\"node_name\":\"node-").append(c.ns() % 7)
        .append('"');
    if (l7) {
      sb.append(",\"l7\":{\"type\":\"REQUEST\",\"http\":{\"method\":\"").append(c.method()).append("\",\"url\":\"http://")
          .append(dstIp).append(":8080").append(c.path()).append("\",\"protocol\":\"HTTP/1.1\",\"headers\":[")
          .append("{\"key\":\"User-Agent\",\"value\":\"Go-http-client/1.1\"}]}}");
    }
    sb.append(",\"event_type\":{\"type\":").append(l7 ? 129 : 4).append("},\"traffic_direction\":\"EGRESS\",")
        .append("\"is_reply\":").append(reply).append(",\"Summary\":\"TCP Flags: ACK, PSH\"},\"node_name\":\"node-")
        .append(c.ns() % 7).append("\",\"time\":\"").append(c.time()).append("\"}");
  }

  private static void endpoint(StringBuilder sb, int n, int w, int pod, boolean world) {
    if (world) {
      sb.append("{\"identity\":2,\"labels\":[\"reserved:world\"]}");
      return;
    }
    sb.append("{\"ID\":").append(1000 + n * 100 + w).append(",\"identity\":").append(20000 + n * 100 + w)
        .append(",\"namespace\":\"").append(ns(n)).append("\",\"labels\":[\"k8s:app=").append(app(w))
        .append("\",\"k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=").append(ns(n))
        .append("\",\"k8s:io.cilium.k8s.policy.cluster=default\",\"k8s:io.cilium.k8s.policy.serviceaccount=")
        .append(app(w)).append("\",\"k8s:io.kubernetes.pod.namespace=").append(ns(n))
        .append("\",\"k8s:version=v1\"],\"pod_name\":\"").append(app(w)).append("-6b746f74dc-").append(podSuffix(pod))
        .append("\"}");
  }

  private static String podSuffix(int pod) {
    return new String[] {"ffh5x", "9rcxq", "s6jb8"}[pod];
  }

  private static String ns(int n) {
    return "team-" + n;
  }

  private static String app(int w) {
    return "svc-" + w;
  }

  private static String ip(int n, int w, int pod) {
    return "10." + (1 + n / 250) + "." + (n % 250) + "." + (w * PODS_PER_WORKLOAD + pod + 1);
  }
}
