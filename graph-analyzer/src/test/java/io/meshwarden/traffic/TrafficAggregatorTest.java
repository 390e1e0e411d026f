package io.meshwarden.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.WorkloadKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficAggregatorTest {
  private final IdentityResolver resolver;

  TrafficAggregatorTest() {
    ClusterModel.Builder b = ClusterModel.builder();
    b.workload(IdentityResolverTest.workload("shop", WorkloadKind.Deployment, "web", Map.of("app", "web"), "web",
        List.of("10.0.0.1")));
    b.workload(IdentityResolverTest.workload("shop", WorkloadKind.Deployment, "api", Map.of("app", "api"), "api",
        List.of("10.0.0.2")));
    resolver = IdentityResolver.of(b.build());
  }

  static ObservedFlow http(String src, String dst, String method, String path, String time, long bytes,
      ObservedFlow.Verdict verdict, int line) {
    return new ObservedFlow(Instant.parse(time), Endpoint.ofAddress(src, 40000 + line), Endpoint.ofAddress(dst, 8080),
        Protocol.TCP, 8080, method, path, null, 200, bytes, verdict, new Origin("f", line));
  }

  @Test
  void flowsOnOneRoute_foldIntoOneEdge_withCountsBytesFirstAndLastSeen() {
    TrafficAggregator agg = new TrafficAggregator(resolver);
    agg.accept(http("10.0.0.1", "10.0.0.2", "GET", "/users/123", "2024-01-01T10:00:05Z", 10, ObservedFlow.Verdict.FORWARDED, 1));
    agg.accept(http("10.0.0.1", "10.0.0.2", "GET", "/users/456?x=1", "2024-01-01T10:00:01Z", 20, ObservedFlow.Verdict.DENIED, 2));
    agg.accept(http("10.0.0.1", "10.0.0.2", "GET", "/users/789", "2024-01-01T10:00:09Z", 30, ObservedFlow.Verdict.FORWARDED, 3));
    agg.accept(http("10.0.0.1", "10.0.0.2", "POST", "/users", "2024-01-01T10:00:02Z", 5, ObservedFlow.Verdict.FORWARDED, 4));
    TrafficModel m = agg.build(List.of("f:9: bad"), 1);
    assertEquals(2, m.edges().size());
    assertEquals(4, m.flowsRead());
    assertEquals(List.of("f:9: bad"), m.badRecords());
    ObservedEdge get = m.edges().get(0);
    assertEquals(new EdgeKey(PeerRef.workload("shop/Deployment/web"), PeerRef.workload("shop/Deployment/api"),
        Protocol.TCP, 8080, "GET", "/users/{id}"), get.key());
    assertEquals(3, get.stats().count());
    assertEquals(60, get.stats().bytes());
    assertEquals(1, get.stats().denied());
    assertEquals(Instant.parse("2024-01-01T10:00:01Z"), get.stats().firstSeen());
    assertEquals(Instant.parse("2024-01-01T10:00:09Z"), get.stats().lastSeen());
    assertEquals(new Origin("f", 1), get.stats().sample());
    assertEquals("POST", m.edges().get(1).key().method());
    assertEquals(Map.of(), m.unresolved());
  }

  @Test
  void equalMethodsAndPeers_foldIntoOneEdge_whicheverInstancesTheyAre() {
    TrafficAggregator agg = new TrafficAggregator(resolver);
    // Distinct but equal strings, as a parser hands them over, and a method HTTP does not define.
    for (String method : List.of(new String("GET"), new String("GET"), new String("PURGE"), new String("PURGE"))) {
      agg.accept(http("10.0.0.1", "10.0.0.2", method, new String("/a"), "2024-01-01T10:00:00Z", 1,
          ObservedFlow.Verdict.FORWARDED, 1));
    }
    TrafficModel m = agg.build();
    assertEquals(2, m.edges().size());
    assertEquals(2, m.edges().get(0).stats().count());
    assertEquals(2, m.edges().get(1).stats().count());
    EdgeKey a = m.edges().get(0).key();
    EdgeKey b = new EdgeKey(PeerRef.workload(new String(a.source().id())), a.destination(), a.protocol(), a.port(),
        new String(a.method()), new String(a.pathTemplate()));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
  }

  @Test
  void l4Flows_haveNoMethodOrPath_andSortAfterNothing() {
    TrafficAggregator agg = new TrafficAggregator(resolver);
    agg.accept(http("10.0.0.2", "10.0.0.1", null, "/ignored", "2024-01-01T10:00:00Z", 1, ObservedFlow.Verdict.FORWARDED, 1));
    agg.accept(http("10.0.0.1", "10.0.0.2", null, null, "2024-01-01T10:00:00Z", 1, ObservedFlow.Verdict.FORWARDED, 2));
    TrafficModel m = agg.build();
    assertEquals(2, m.edges().size());
    assertEquals("shop/Deployment/api", m.edges().get(0).key().source().id(), "sorted by source id");
    assertNull(m.edges().get(0).key().pathTemplate());
  }

  @Test
  void unresolvedEndpoints_areCountedByReason_andFlowsWithoutAPeerAreNotSilentlyLost() {
    TrafficAggregator agg = new TrafficAggregator(resolver);
    agg.accept(http("10.0.0.1", "10.7.7.7", null, null, "2024-01-01T10:00:00Z", 1, ObservedFlow.Verdict.FORWARDED, 1));
    agg.accept(new ObservedFlow(Instant.EPOCH, Endpoint.ofAddress("10.0.0.1", 1),
        new Endpoint(null, 0, null, null, Map.of(), null, null, null, null), Protocol.TCP, 80, null, null, null, 0, 0,
        ObservedFlow.Verdict.FORWARDED, new Origin("f", 2)));
    TrafficModel m = agg.build();
    assertEquals(1, m.edges().size());
    assertEquals("external:10.7.7.7/32", m.edges().get(0).key().destination().id());
    assertEquals(Map.of("destination: private address matches no pod IP", 1L,
        "destination: no address or identity", 1L,
        TrafficAggregator.NOT_AGGREGATED, 1L), m.unresolved());
  }

  @Test
  void pathsPastThePerPairLimit_foldIntoOneOtherEdge() {
    TrafficAggregator agg = new TrafficAggregator(resolver, 3);
    for (int i = 0; i < 10; i++) {
      agg.accept(http("10.0.0.1", "10.0.0.2", "GET", "/page-" + (char) ('a' + i), "2024-01-01T10:00:00Z", 1,
          ObservedFlow.Verdict.FORWARDED, i + 1));
    }
    TrafficModel m = agg.build();
    assertEquals(4, m.edges().size());
    ObservedEdge other = m.edges().stream().filter(e -> TrafficAggregator.OTHER_PATHS.equals(e.key().pathTemplate()))
        .findFirst().orElseThrow();
    assertEquals(7, other.stats().count());
  }
}
