package io.meshwarden.ingest.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.ObservedFlow;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Envoy access logs in Istio's JSON format (meshConfig.accessLogEncoding: JSON). */
class EnvoyJsonParserTest {
  /** productpage's sidecar calling reviews (outbound listener). */
  static final String OUTBOUND = "{\"start_time\":\"2024-05-01T10:00:00.100Z\",\"method\":\"GET\",\"path\":\"/reviews/0?u=1\","
      + "\"protocol\":\"HTTP/1.1\",\"response_code\":200,\"response_flags\":\"-\",\"response_code_details\":\"via_upstream\","
      + "\"connection_termination_details\":null,\"upstream_transport_failure_reason\":null,\"bytes_received\":0,"
      + "\"bytes_sent\":358,\"duration\":12,\"upstream_service_time\":\"11\",\"x_forwarded_for\":null,"
      + "\"user_agent\":\"python-requests/2.31\",\"request_id\":\"r-1\",\"authority\":\"reviews:9080\","
      + "\"upstream_host\":\"10.244.0.21:9080\",\"upstream_cluster\":\"outbound|9080||reviews.bookinfo.svc.cluster.local\","
      + "\"upstream_local_address\":\"10.244.0.15:47526\",\"downstream_local_address\":\"10.96.12.7:9080\","
      + "\"downstream_remote_address\":\"10.244.0.15:52210\",\"requested_server_name\":null,\"route_name\":\"default\","
      + "\"upstream_peer_uri_san\":\"spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews\"}";
  /** The same request in reviews' sidecar (inbound listener, Istio ≥ 1.10 cluster name). */
  static final String INBOUND = "{\"start_time\":\"2024-05-01T10:00:00.101Z\",\"method\":\"GET\",\"path\":\"/reviews/0\","
      + "\"protocol\":\"HTTP/1.1\",\"response_code\":\"200\",\"response_flags\":\"-\",\"bytes_received\":\"0\","
      + "\"bytes_sent\":\"358\",\"duration\":\"10\",\"authority\":\"reviews:9080\",\"upstream_host\":\"10.244.0.21:9080\","
      + "\"upstream_cluster\":\"inbound|9080||\",\"upstream_local_address\":\"127.0.0.6:40363\","
      + "\"downstream_local_address\":\"10.244.0.21:9080\",\"downstream_remote_address\":\"10.244.0.15:47526\","
      + "\"requested_server_name\":\"outbound_.9080_._.reviews.bookinfo.svc.cluster.local\","
      + "\"downstream_peer_uri_san\":\"spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage\","
      + "\"downstream_local_uri_san\":\"spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews\"}";

  @Test
  void outboundAndInboundRecords_areBothClientToServer() throws Exception {
    TrafficFixtures.Read read = TrafficFixtures.read(Format.ENVOY_JSON, OUTBOUND + "\n" + INBOUND + "\n");
    assertEquals(0, read.summary().badRecordCount(), read.summary().badRecords().toString());
    ObservedFlow out = read.flows().get(0);
    ObservedFlow in = read.flows().get(1);
    for (ObservedFlow f : read.flows()) {
      assertEquals("10.244.0.15", f.source().ip());
      assertEquals("10.244.0.21", f.destination().ip());
      assertEquals(9080, f.port());
      assertEquals(Protocol.TCP, f.protocol());
      assertEquals("GET", f.httpMethod());
      assertEquals(200, f.responseCode());
      assertEquals(358, f.bytes());
      assertEquals("reviews:9080", f.authority());
    }
    assertEquals("/reviews/0", out.httpPath(), "query string dropped");
    assertEquals("reviews.bookinfo.svc.cluster.local", out.destination().serviceHost());
    assertEquals("spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews", out.destination().principal());
    assertEquals(Instant.parse("2024-05-01T10:00:00.100Z"), out.time());
    assertEquals("spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage", in.source().principal());
    assertEquals("spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews", in.destination().principal());
    assertEquals("reviews.bookinfo.svc.cluster.local", in.destination().serviceHost(), "from the SNI");
  }

  @Test
  void forwardedClientCert_givesBothPrincipalsOnInbound() throws Exception {
    String line = "{\"start_time\":\"2024-05-01T10:00:00Z\",\"upstream_cluster\":\"inbound|8080||\","
        + "\"downstream_local_address\":\"10.0.0.2:8080\",\"downstream_remote_address\":\"10.0.0.1:1234\","
        + "\"x-forwarded-client-cert\":\"By=spiffe://td/ns/a/sa/server;Hash=ab;Subject=\\\"\\\";URI=spiffe://td/ns/b/sa/client\"}";
    ObservedFlow f = TrafficFixtures.read(Format.ENVOY_JSON, line).flows().get(0);
    assertEquals("spiffe://td/ns/b/sa/client", f.source().principal());
    assertEquals("spiffe://td/ns/a/sa/server", f.destination().principal());
  }

  @Test
  void rbacDeniedConnection_isDenied() throws Exception {
    String line = "{\"start_time\":\"2024-05-01T10:00:00Z\",\"upstream_cluster\":\"inbound|5432||\","
        + "\"connection_termination_details\":\"rbac_access_denied_matched_policy[none]\","
        + "\"downstream_local_address\":\"10.0.0.2:5432\",\"downstream_remote_address\":\"10.0.0.1:1234\"}";
    ObservedFlow f = TrafficFixtures.read(Format.ENVOY_JSON, line).flows().get(0);
    assertEquals(ObservedFlow.Verdict.DENIED, f.verdict());
    assertNull(f.httpMethod());
  }

  @Test
  void passthroughEgress_namesTheExternalHostFromTheAuthority() throws Exception {
    String line = "{\"start_time\":\"2024-05-01T10:00:00Z\",\"method\":\"GET\",\"path\":\"/\",\"authority\":\"api.example.com\","
        + "\"upstream_cluster\":\"PassthroughCluster\",\"upstream_host\":\"93.184.216.34:443\","
        + "\"downstream_remote_address\":\"10.0.0.1:1234\",\"downstream_local_address\":\"93.184.216.34:443\"}";
    ObservedFlow f = TrafficFixtures.read(Format.ENVOY_JSON, line).flows().get(0);
    assertEquals("api.example.com", f.destination().serviceHost());
    assertEquals(443, f.port());
  }

  @Test
  void upperCaseAndDashedKeys_areAccepted() throws Exception {
    String line = "{\"START_TIME\":\"2024-05-01T10:00:00Z\",\"UPSTREAM-HOST\":\"10.0.0.2:80\","
        + "\"DOWNSTREAM_REMOTE_ADDRESS\":\"10.0.0.1:1234\"}";
    ObservedFlow f = TrafficFixtures.read(Format.ENVOY_JSON, line).flows().get(0);
    assertEquals("10.0.0.2", f.destination().ip());
  }

  @Test
  void recordsWithoutTimeAddressesOrValidNumbers_areBadWithReasons() throws Exception {
    String text = "{\"upstream_host\":\"10.0.0.2:80\",\"downstream_remote_address\":\"10.0.0.1:1\"}\n"
        + "{\"start_time\":\"2024-05-01T10:00:00Z\"}\n"
        + "{\"start_time\":\"2024-05-01T10:00:00Z\",\"upstream_host\":\"10.0.0.2:80\",\"downstream_remote_address\":\"10.0.0.1:1\","
        + "\"bytes_sent\":\"lots\"}\n"
        + "{\"start_time\":\"yesterday\",\"upstream_host\":\"10.0.0.2:80\",\"downstream_remote_address\":\"10.0.0.1:1\"}\n";
    TrafficFixtures.Read read = TrafficFixtures.read(Format.ENVOY_JSON, text);
    assertEquals(4, read.summary().badRecordCount());
    assertTrue(read.summary().badRecords().get(0).startsWith("test:1: missing timestamp"), read.summary().toString());
    assertTrue(read.summary().badRecords().get(1).contains("no client address"));
    assertTrue(read.summary().badRecords().get(2).contains("bytes_sent is not a number"));
    assertTrue(read.summary().badRecords().get(3).contains("bad timestamp"));
  }

  @Test
  void numbers_mayBeJsonNumbersOrText_andTheLastSpellingOfAKeyWins() throws Exception {
    String base = "{\"start_time\":\"2024-05-01T10:00:00Z\",\"upstream_host\":\"10.0.0.2:80\","
        + "\"downstream_remote_address\":\"10.0.0.1:1\",";
    String text = base + "\"bytes_received\":30,\"bytes_sent\":\"12\",\"response_code\":503}\n"
        + base + "\"bytes_sent\":\"lots\",\"BYTES_SENT\":7,\"response_code\":404,\"RESPONSE-CODE\":\"201\"}\n"
        + base + "\"response_code\":200.0}\n"
        + base + "\"bytes_sent\":99999999999999999999}\n";
    TrafficFixtures.Read read = TrafficFixtures.read(Format.ENVOY_JSON, text);
    assertEquals(2, read.flows().size(), read.summary().toString());
    assertEquals(42, read.flows().get(0).bytes());
    assertEquals(503, read.flows().get(0).responseCode());
    assertEquals(7, read.flows().get(1).bytes());
    assertEquals(201, read.flows().get(1).responseCode());
    assertTrue(read.summary().badRecords().get(0).startsWith("test:3: response_code is not a number"),
        read.summary().toString());
    assertTrue(read.summary().badRecords().get(1).startsWith("test:4: bytes_sent is not a number"),
        read.summary().toString());
  }
}
