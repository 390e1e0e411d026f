package io.meshwarden.als;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.envoyproxy.envoy.data.accesslog.v3.AccessLogType;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.meshwarden.aggregate.NodeIdentity;
import io.meshwarden.aggregate.Observation;
import io.meshwarden.aggregate.StreamNode;
import io.meshwarden.traffic.ObservedFlow;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryDecoderTest {
  private static final Instant T = Instant.parse("2026-11-20T09:00:00Z");
  private final EntryDecoder decoder = new EntryDecoder(Clock.fixed(T, ZoneOffset.UTC), "cluster.local");
  private final StreamNode node = new StreamNode(new NodeIdentity("n", "default", "cart-1", "cart", null, Map.of(), null));

  @Test
  void httpEntry_peerIsTheUriSan_portTheLocalPort_bytesBothWays() {
    Observation o = decoder.http(AlsMessages.http("10.8.0.12", 7070, "10.8.0.10",
        "spiffe://cluster.local/ns/default/sa/frontend", "POST", "/hipstershop.CartService/AddItem", 200, T), node);
    ObservedFlow f = o.flow();
    assertEquals("spiffe://cluster.local/ns/default/sa/frontend", f.source().principal());
    assertEquals("10.8.0.10", f.source().ip());
    assertEquals("10.8.0.12", f.destination().ip());
    assertEquals(7070, f.port());
    assertEquals("POST", f.httpMethod());
    assertEquals(500, f.bytes());
    assertEquals(T, f.time());
    assertEquals("via_upstream", o.details());
    assertTrue(o.counted());
    assertEquals(ObservedFlow.Verdict.FORWARDED, f.verdict());
    assertEquals(io.meshwarden.traffic.FlowSource.ENVOY_INBOUND_HTTP, f.observer());
  }

  @Test
  void rbacShadowResultsAreKeptWhateverTheStatPrefix() {
    HTTPAccessLogEntry e = AlsMessages.withShadow(AlsMessages.http("10.8.0.12", 7070, "10.8.0.10", null, "GET", "/",
        200, T), "istio_dry_run_allow_", "denied", "ns[default]-policy[cart]-rule[0]");
    Observation o = decoder.http(e, node);
    assertEquals("denied", o.shadowResult());
    assertEquals("ns[default]-policy[cart]-rule[0]", o.shadowPolicyId());
  }

  @Test
  void enforcedDenialIsADeniedVerdict() {
    HTTPAccessLogEntry e = AlsMessages.http("10.8.0.12", 7070, "10.8.0.10", null, "GET", "/", 403, T);
    e = e.toBuilder().setResponse(e.getResponse().toBuilder()
        .setResponseCodeDetails("rbac_access_denied_matched_policy[none]")).build();
    Observation o = decoder.http(e, node);
    assertEquals(ObservedFlow.Verdict.DENIED, o.flow().verdict());
    assertEquals("rbac_access_denied_matched_policy[none]", o.details());
  }

  @Test
  void periodicEntriesAreEvidenceButNotARequest() {
    HTTPAccessLogEntry e = AlsMessages.http("10.8.0.12", 7070, "10.8.0.10", null, "GET", "/", 200, T);
    e = e.toBuilder().setCommonProperties(e.getCommonProperties().toBuilder()
        .setAccessLogType(AccessLogType.DownstreamPeriodic)).build();
    Observation o = decoder.http(e, node);
    assertFalse(o.counted());
    assertEquals(0, o.flow().bytes());
  }

  @Test
  void certificateOfAnotherTrustDomainIsAnExternalPeer() {
    Observation o = decoder.http(AlsMessages.http("10.8.0.12", 7070, "10.8.0.10",
        "spiffe://partner.example/ns/default/sa/frontend", "GET", "/", 200, T), node);
    assertNull(o.flow().source().ip());
    assertNull(o.flow().source().principal());
    assertEquals("spiffe://partner.example/ns/default/sa/frontend", o.flow().source().serviceHost());
  }

  @Test
  void tcpEntryCountsTheConnection() {
    Observation o = decoder.tcp(AlsMessages.tcp("10.8.0.13", 6379, "10.8.0.12", T), node);
    assertEquals(6379, o.flow().port());
    assertNull(o.flow().httpMethod());
    assertEquals(40, o.flow().bytes());
    assertTrue(o.counted());
  }
}
