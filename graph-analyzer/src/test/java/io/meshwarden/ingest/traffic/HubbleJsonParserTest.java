package io.meshwarden.ingest.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.ObservedFlow;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code hubble observe -o json} on the captures from cilium/hubble-otel (Bookinfo in namespace bookinfo). */
class HubbleJsonParserTest {
  static List<ObservedFlow> read(Path file, List<ReadSummary> summary) throws Exception {
    List<ObservedFlow> flows = new ArrayList<>();
    summary.add(new FlowReader(Format.HUBBLE_JSON, true, InputStream.nullInputStream())
        .read(List.of(file.toString()), flows::add));
    return flows;
  }

  @Test
  void everyCapture_parsesWithZeroBadLines_andEveryLineIsAFlowOrASkip() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(TrafficFixtures.resource("hubble-flows"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertEquals(6, files.size());
    for (Path f : files) {
      List<ReadSummary> s = new ArrayList<>();
      List<ObservedFlow> flows = read(f, s);
      ReadSummary sum = s.get(0);
      assertEquals(0, sum.badRecordCount(), f + ": " + sum.badRecords());
      long skipped = sum.skipped().values().stream().mapToLong(Long::longValue).sum();
      assertEquals(sum.lines(), flows.size() + skipped, f.toString());
      assertEquals(Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count(), sum.lines());
    }
  }

  @Test
  void httpCapture_requestsBecomeFlowsAndResponsesAreSkippedAsReplies() throws Exception {
    List<ReadSummary> s = new ArrayList<>();
    List<ObservedFlow> flows = read(TrafficFixtures.hubble("basic-sample-348-http-flows.json"), s);
    // 175 requests (is_reply false) and 173 responses (is_reply true).
    assertEquals(175, flows.size());
    assertEquals(173L, s.get(0).skipped().get(HubbleJsonParser.SKIP_REPLY));
    ObservedFlow first = flows.get(0);
    assertEquals(Instant.parse("2021-10-04T14:28:38.735173594Z"), first.time());
    assertEquals("10.156.2.7", first.source().ip());
    assertEquals("istio-system", first.source().namespace());
    assertEquals("prometheus-6655946b9f-6xcpf", first.source().podName());
    assertEquals(Map.of("app", "prometheus", "release", "istio"), first.source().labels(),
        "Cilium's own labels become fields, not pod labels");
    assertEquals("prometheus", first.source().serviceAccount());
    assertEquals("world", first.destination().reserved());
    assertEquals(Protocol.TCP, first.protocol());
    assertEquals(9990, first.port());
    assertEquals("GET", first.httpMethod());
    assertEquals("/metrics", first.httpPath());
    assertEquals("10.128.0.4:9990", first.authority());
    assertEquals(ObservedFlow.Verdict.FORWARDED, first.verdict());
    assertEquals(1, first.origin().line());
  }

  @Test
  void icmpCapture_isSkippedAndCountedAsIcmp() throws Exception {
    List<ReadSummary> s = new ArrayList<>();
    assertTrue(read(TrafficFixtures.hubble("basic-sample-400-icmpv4-flows.json"), s).isEmpty());
    assertEquals(18L, s.get(0).skipped().get(HubbleJsonParser.SKIP_ICMP));
  }

  @Test
  void tcpCapture_replyPacketsNeverBecomeReversedFlows() throws Exception {
    List<ReadSummary> s = new ArrayList<>();
    List<ObservedFlow> flows = read(TrafficFixtures.hubble("basic-sample-400-tcp-flows.json"), s);
    assertTrue(s.get(0).skipped().get(HubbleJsonParser.SKIP_REPLY) > 100, s.get(0).toString());
    for (ObservedFlow f : flows) {
      // Bookinfo's services all listen on 9080: a flow *from* 9080 would be a reply seen as a request.
      assertTrue(f.source().port() != 9080, f.origin().toString());
    }
    ObservedFlow noNamespace = flows.stream().filter(f -> f.source().podName() == null
        && "productpage".equals(f.source().labels().get("app"))).findFirst().orElseThrow();
    assertEquals("bookinfo", noNamespace.source().namespace(), "taken from k8s:io.kubernetes.pod.namespace");
    assertEquals("bookinfo-productpage", noNamespace.source().serviceAccount());
  }

  @Test
  void bareFlowWithoutWrapper_droppedByPolicy_isDenied() throws Exception {
    String line = "{\"time\":\"2024-01-01T00:00:00Z\",\"verdict\":\"DROPPED\",\"drop_reason_desc\":\"POLICY_DENIED\","
        + "\"IP\":{\"source\":\"10.0.0.1\",\"destination\":\"10.0.0.2\"},\"l4\":{\"UDP\":{\"source_port\":40000,"
        + "\"destination_port\":53}},\"source\":{\"namespace\":\"a\",\"pod_name\":\"x-1\",\"labels\":[\"k8s:app=x\"]},"
        + "\"destination\":{\"namespace\":\"b\",\"labels\":[\"k8s:app=y\"]},\"is_reply\":false}";
    ObservedFlow f = TrafficFixtures.read(Format.HUBBLE_JSON, line).flows().get(0);
    assertEquals(ObservedFlow.Verdict.DENIED, f.verdict());
    assertEquals(Protocol.UDP, f.protocol());
    assertEquals(53, f.port());
    assertNull(f.httpMethod());
  }

  @Test
  void nonFlowEvents_areSkippedByKind() throws Exception {
    TrafficFixtures.Read read = TrafficFixtures.read(Format.HUBBLE_JSON,
        "{\"node_status\":{\"state_change\":\"NODE_CONNECTED\"},\"time\":\"2024-01-01T00:00:00Z\"}\n");
    assertEquals(1L, read.summary().skipped().get("not a flow (node_status)"));
    assertEquals(0, read.summary().badRecordCount());
  }
}
