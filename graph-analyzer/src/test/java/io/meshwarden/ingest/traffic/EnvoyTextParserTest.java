package io.meshwarden.ingest.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.traffic.ObservedFlow;
import java.io.Reader;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Envoy / istio-proxy text access logs, checked against DataDog's parser expectations. */
class EnvoyTextParserTest {
  private final EnvoyTextParser parser = new EnvoyTextParser();

  @Test
  @SuppressWarnings("unchecked")
  void everyDataDogSample_yieldsTheFieldsDataDogExtracts() throws Exception {
    Map<String, Object> doc;
    try (Reader r = Files.newBufferedReader(TrafficFixtures.resource("envoy-access-logs/datadog-envoy_tests.yaml"))) {
      doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromReader(r);
    }
    List<Map<String, Object>> tests = (List<Map<String, Object>>) doc.get("tests");
    assertEquals(5, tests.size());
    int accessLogs = 0;
    for (Map<String, Object> t : tests) {
      String sample = (String) t.get("sample");
      Map<String, Object> custom = (Map<String, Object>) ((Map<String, Object>) t.get("result")).get("custom");
      Map<String, Object> http = (Map<String, Object>) custom.get("http");
      EnvoyRecord r = new EnvoyRecord();
      boolean accessLog = parser.parseInto(sample, r);
      if (http == null) {
        assertFalse(accessLog, "Envoy's own log line is not an access-log entry: " + sample);
        continue;
      }
      accessLogs++;
      assertTrue(accessLog, sample);
      assertEquals(((Number) custom.get("date")).longValue(), Timestamps.parse(r.startTime).toEpochMilli(), sample);
      assertEquals(http.get("method"), r.method);
      assertEquals(http.get("protocol"), r.protocol);
      assertEquals(((Number) http.get("status_code")).intValue(), Integer.parseInt(r.responseCode));
      assertEquals(http.get("url"), r.path);
      assertEquals(((Map<String, Object>) http.get("url_details")).get("path"), r.path.split("\\?")[0]);
      assertEquals(http.get("authority"), r.authority);
      assertEquals(http.get("request_id"), r.requestId);
      assertEquals(http.get("useragent"), r.userAgent);
      assertEquals(http.get("_x_forwarded_for"), r.xForwardedFor);
      Map<String, Object> network = (Map<String, Object>) custom.get("network");
      assertEquals(((Number) network.get("bytes_read")).longValue(), Long.parseLong(r.bytesReceived));
      assertEquals(((Number) network.get("bytes_written")).longValue(), Long.parseLong(r.bytesSent));
      // DataDog keeps durations in nanoseconds; Envoy writes milliseconds.
      assertEquals(((Number) custom.get("duration")).doubleValue(), Long.parseLong(r.duration) * 1e6, 0.5);
      Map<String, Object> response = (Map<String, Object>) custom.get("response");
      // DataDog's pattern runs the flags into Istio 1.1's quoted mixer status ("- \"-\""); the flags are its first word.
      assertEquals(((String) response.get("flags")).split(" ")[0], r.responseFlags);
      Object serviceTime = response.get("x_envoy_upstream_service_time");
      assertEquals(serviceTime == null ? "-" : serviceTime.toString(), r.upstreamServiceTime);
      String upstream = (String) custom.get("upstream_host");
      assertTrue(upstream.startsWith("\"" + r.upstreamHost + "\""), upstream);
    }
    assertEquals(4, accessLogs);
  }

  @Test
  void istio11Outbound_fieldsAfterTheUpstreamHostAreAddressesAndCluster() throws Exception {
    EnvoyRecord r = new EnvoyRecord();
    assertTrue(parser.parseInto(SIDECAR_OUTBOUND, r));
    assertEquals("172.30.146.73:80", r.upstreamHost);
    assertEquals("outbound|8000||httpbin.default.svc.cluster.local", r.upstreamCluster);
    assertEquals("-", r.upstreamLocalAddress);
    assertEquals("172.21.13.94:8000", r.downstreamLocalAddress);
    assertEquals("172.30.146.82:60290", r.downstreamRemoteAddress);
    assertEquals("-", r.requestedServerName);
  }

  @Test
  void outboundAndInboundLinesOfOneRequest_areTheSameClientToServerFlow() throws Exception {
    TrafficFixtures.Read read = TrafficFixtures.read(Format.ENVOY_TEXT, SIDECAR_OUTBOUND + "\n" + SIDECAR_INBOUND + "\n");
    assertEquals(2, read.flows().size(), read.summary().toString());
    for (ObservedFlow f : read.flows()) {
      assertEquals("172.30.146.82", f.source().ip());
      assertEquals("172.30.146.73", f.destination().ip());
      assertEquals(80, f.port());
      assertEquals(80, f.destination().port());
      assertEquals("httpbin.default.svc.cluster.local", f.destination().serviceHost());
      assertEquals("GET", f.httpMethod());
      assertEquals("/status/418", f.httpPath());
      assertEquals(418, f.responseCode());
      assertEquals(135, f.bytes());
      assertEquals(ObservedFlow.Verdict.FORWARDED, f.verdict());
    }
  }

  @Test
  void edgeProxyLineWithoutAddresses_usesForwardedForAndAuthority() throws Exception {
    TrafficFixtures.Read read = TrafficFixtures.read(Format.ENVOY_TEXT, GIPHY + "\n" + ADMIN);
    assertEquals(2, read.flows().size(), read.summary().toString());
    ObservedFlow giphy = read.flows().get(0);
    assertEquals("173.252.99.154", giphy.source().ip());
    assertEquals("api.giphy.com", giphy.destination().serviceHost());
    assertEquals("/v1/gifs/search", giphy.httpPath(), "query string dropped");
    assertEquals(Instant.parse("2018-07-13T15:56:58.312Z"), giphy.time());
    ObservedFlow admin = read.flows().get(1);
    assertEquals("64.145.79.247", admin.destination().ip());
    assertEquals(8001, admin.port());
    assertEquals(2, read.flows().get(1).origin().line());
  }

  @Test
  void currentIstioFormat_withDetailsTerminationAndTransportFailure_isParsed() throws Exception {
    String line = "[2024-05-01T10:00:00.123Z] \"POST /api/v1/orders/42?x=1 HTTP/2\" 403 - rbac_access_denied_matched_policy[none]"
        + " - \"-\" 120 19 3 - \"-\" \"curl/8.0\" \"abc\" \"orders:8080\" \"10.1.2.3:8080\" inbound|8080|| 127.0.0.6:51111"
        + " 10.1.2.3:8080 10.1.9.9:40000 outbound_.8080_._.orders.shop.svc.cluster.local default";
    EnvoyRecord r = new EnvoyRecord();
    assertTrue(parser.parseInto(line, r));
    assertEquals("rbac_access_denied_matched_policy[none]", r.responseCodeDetails);
    assertEquals("120", r.bytesReceived);
    assertEquals("default", r.routeName);
    ObservedFlow f = TrafficFixtures.read(Format.ENVOY_TEXT, line).flows().get(0);
    assertEquals(ObservedFlow.Verdict.DENIED, f.verdict());
    assertEquals("10.1.9.9", f.source().ip());
    assertEquals("10.1.2.3", f.destination().ip());
    assertEquals("orders.shop.svc.cluster.local", f.destination().serviceHost(), "from Istio's SNI");
    assertEquals(8080, f.port());
  }

  @Test
  void tcpConnectionLine_hasNoHttpMethodOrPath() throws Exception {
    String line = "[2024-05-01T10:00:00.000Z] \"- - -\" 0 - - - \"-\" 1024 2048 5000 - \"-\" \"-\" \"-\" \"-\""
        + " \"10.1.2.3:5432\" outbound|5432||db.data.svc.cluster.local 10.1.1.1:40010 10.96.0.5:5432 10.1.1.1:40008 - -";
    ObservedFlow f = TrafficFixtures.read(Format.ENVOY_TEXT, line).flows().get(0);
    assertNull(f.httpMethod());
    assertNull(f.httpPath());
    assertEquals(5432, f.port());
    assertEquals(3072, f.bytes());
  }

  @Test
  void envoyApplicationLogLines_areSkippedNotBad() throws Exception {
    String text = "[2021-03-12 15:31:30.492][1][warning][runtime] [source/common/runtime/runtime_features.cc:31] x\n"
        + "2021-03-12T15:31:30.492Z\tinfo\tsds\tSDS: PUSH\n";
    TrafficFixtures.Read read = TrafficFixtures.read(Format.ENVOY_TEXT, text);
    assertEquals(0, read.summary().badRecordCount());
    assertEquals(2L, read.summary().skipped().get(EnvoyTextParser.SKIP_PROXY_LOG));
  }

  static final String SIDECAR_OUTBOUND = "[2019-03-06T09:31:27.354Z] \"GET /status/418 HTTP/1.1\" 418 - \"-\" 0 135 11 10"
      + " \"-\" \"curl/7.60.0\" \"d209e46f-9ed5-9b61-bbdd-43e22662702a\" \"httpbin:8000\" \"172.30.146.73:80\""
      + " outbound|8000||httpbin.default.svc.cluster.local - 172.21.13.94:8000 172.30.146.82:60290 -";
  static final String SIDECAR_INBOUND = "[2019-03-06T09:31:27.360Z] \"GET /status/418 HTTP/1.1\" 418 - \"-\" 0 135 5 2"
      + " \"-\" \"curl/7.60.0\" \"d209e46f-9ed5-9b61-bbdd-43e22662702a\" \"httpbin:8000\" \"127.0.0.1:80\""
      + " inbound|8000|http|httpbin.default.svc.cluster.local - 172.30.146.73:80 172.30.146.82:38618"
      + " outbound_.8000_._.httpbin.default.svc.cluster.local";
  static final String GIPHY = "[2018-07-13T15:56:58.312Z] \"GET /v1/gifs/search?q=totalmete+s&api_key=FyzFCUcvrJXvG&limit=20"
      + "&offset=0&rating=pg&lang=en&country_code=US HTTP/1.1\" 200 - 0 11187 107 107 \"173.252.99.154, 23.235.39.44,"
      + " 23.235.46.35\" \"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)\""
      + " \"820b432a-32c1-98d5-b5e2-310f824f940f\" \"api.giphy.com\" \"127.0.0.1:8000\"";
  static final String ADMIN = "[2021-03-12T09:11:51.592Z] \"GET /server_info HTTP/1.1\" 200 - 0 27805 1 - \"64.145.79.247\""
      + " \"Datadog Agent/7.26.0\" \"d0000a1f-0000-4b42-0000-0000e13d78ca\" \"64.145.79.247:8001\" \"-\"";
}
