package io.meshwarden.ingest.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.traffic.IdentityResolver;
import io.meshwarden.traffic.ObservedFlow;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPv6 in every flow format: Envoy's bracketed {@code [addr]:port} (JSON and text), Hubble's plain
 * addresses, and the spellings that must meet the pod IPs of a dual-stack pod (non-canonical
 * IPv6, IPv4-mapped IPv6 from a dual-stack socket).
 */
class Ipv6FlowsTest {
  private static final String DUAL_STACK_POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: shop, labels: {app: web}}
      spec: {containers: [{name: web, image: web}]}
      status:
        podIP: 10.1.0.4
        podIPs: [{ip: 10.1.0.4}, {ip: "fd00:10:1::4"}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: api, namespace: shop, labels: {app: api}}
      spec: {containers: [{name: api, image: api}]}
      status:
        podIPs: [{ip: "fd00:10:1::5"}]
      """;

  @TempDir Path tmp;

  @Test
  void hostPort_readsBracketedIpv6() {
    assertEquals(new HostPort("::1", 8080), HostPort.parse("[::1]:8080"));
    assertEquals(new HostPort("fd00:10:1::5", 9090), HostPort.parse("[fd00:10:1::5]:9090"));
    assertEquals(new HostPort("fd00::1", 0), HostPort.parse("[fd00::1]"));
    assertEquals(new HostPort("fd00::1", 0), HostPort.parse("fd00::1"), "an unbracketed IPv6 address has no port");
    assertEquals(new HostPort("10.0.0.1", 80), HostPort.parse("10.0.0.1:80"));
  }

  @Test
  void envoyTextHubbleAndJson_withIpv6_resolveToTheDualStackPods() throws Exception {
    Path text = tmp.resolve("istio.log");
    Files.writeString(text, "[2026-11-20T09:00:00.000Z] \"GET /items HTTP/1.1\" 200 - via_upstream - \"-\" 0 12 3 2"
        + " \"-\" \"curl/8\" \"id-1\" \"api:9090\" \"[fd00:10:1::5]:9090\" inbound|9090|| [::1]:44444"
        + " [fd00:10:1::5]:9090 [fd00:10:1:0:0:0:0:4]:51234 - default\n");
    Path hubble = tmp.resolve("hubble.json");
    Files.writeString(hubble, "{\"flow\":{\"time\":\"2026-11-20T09:00:00Z\",\"verdict\":\"FORWARDED\","
        + "\"IP\":{\"source\":\"fd00:10:1::4\",\"destination\":\"2001:4860:4860::8888\",\"ipVersion\":\"IPv6\"},"
        + "\"l4\":{\"TCP\":{\"source_port\":40000,\"destination_port\":443,\"flags\":{\"SYN\":true}}},"
        + "\"source\":{\"namespace\":\"shop\",\"pod_name\":\"web\"},\"destination\":{},"
        + "\"Type\":\"L3_L4\",\"traffic_direction\":\"EGRESS\",\"is_reply\":false}}\n");
    Path json = tmp.resolve("envoy.jsonl");
    Files.writeString(json, "{\"start_time\":\"2026-11-20T09:00:01Z\",\"method\":\"GET\",\"path\":\"/items\","
        + "\"response_code\":200,\"upstream_cluster\":\"inbound|9090||\",\"downstream_local_address\":"
        + "\"[fd00:10:1::5]:9090\",\"downstream_remote_address\":\"[::ffff:10.1.0.4]:5555\"}\n");
    List<ObservedFlow> flows = new ArrayList<>();
    for (Path p : List.of(text, hubble, json)) {
      ReadSummary s = new FlowReader(Format.AUTO, true, InputStream.nullInputStream())
          .read(List.of(p.toString()), flows::add);
      assertEquals(0, s.badRecordCount(), p + ": " + s.badRecords());
    }
    assertEquals(3, flows.size());
    ClusterModel m = new ManifestLoader(false).load("pods.yaml", new StringReader(DUAL_STACK_POD)).model();
    IdentityResolver r = IdentityResolver.of(m);
    List<String> resolved = flows.stream()
        .map(f -> r.resolve(f.source()).peer() + " -> " + r.resolve(f.destination()).peer() + ":" + f.destination().port())
        .toList();
    assertEquals(List.of("shop/Pod/web -> shop/Pod/api:9090",
        "shop/Pod/web -> external:2001:4860:4860::8888/128:443",
        "shop/Pod/web -> shop/Pod/api:9090"), resolved);
  }
}
