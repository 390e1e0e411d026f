package io.meshwarden.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.model.Protocol;
import io.meshwarden.store.SqliteStore;
import io.meshwarden.store.StoredEdge;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.Endpoint;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.ObservedFlow;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveAggregatorTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:30:00Z");
  private static final String FRONTEND_SAN = "spiffe://cluster.local/ns/default/sa/frontend";

  private static ClusterSnapshot cluster;

  static synchronized ClusterSnapshot cluster() throws Exception {
    if (cluster == null) {
      cluster = TestClusters.frontendAndCart();
    }
    return cluster;
  }

  private static StreamNode node(String pod) {
    return new StreamNode(new NodeIdentity("sidecar~x~" + pod + ".default~default.svc.cluster.local", "default", pod,
        null, null, Map.of(), null));
  }

  private static Observation inbound(StreamNode node, String localIp, int port, Instant at) {
    ObservedFlow f = new ObservedFlow(at, new Endpoint("10.0.0.10", 40000, null, null, Map.of(), null, FRONTEND_SAN,
        null, null), Endpoint.ofAddress(localIp, port), Protocol.TCP, port, "POST", "/cart/123", null, 200, 500,
        ObservedFlow.Verdict.FORWARDED, node.origin(), io.meshwarden.traffic.FlowSource.ENVOY_INBOUND_HTTP);
    return new Observation(node, f, null, null, "via_upstream", true);
  }

  private static LiveAggregator.Settings settings(int capacity, Duration retention) {
    return new LiveAggregator.Settings(capacity, retention, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static List<ObservedEdge> edges(LiveAggregator a) throws Exception {
    return a.view().get(5, TimeUnit.SECONDS).traffic().edges();
  }

  @Test
  void inboundEntriesBecomeEdgesFromTheCertificatePeerToTheNodesWorkload(@TempDir Path dir) throws Exception {
    IngestCounters counters = new IngestCounters();
    try (SqliteStore store = SqliteStore.open(dir)) {
      LiveAggregator a = new LiveAggregator(store, settings(1000, Duration.ofDays(30)), counters).start();
      a.snapshot(cluster());
      StreamNode cart = node("cart-7d9f8c6b5d-abcde");
      a.put(List.of(inbound(cart, "10.0.0.12", 7070, NOW), inbound(cart, "10.0.0.12", 7070, NOW.minusSeconds(60))));
      a.flush().get(5, TimeUnit.SECONDS);
      List<ObservedEdge> edges = edges(a);
      assertEquals(1, edges.size());
      EdgeKey k = edges.get(0).key();
      assertEquals("default/Deployment/frontend", k.source().id());
      assertEquals("default/Deployment/cart", k.destination().id());
      assertEquals(7070, k.port());
      assertEquals("/cart/{id}", k.pathTemplate());
      assertEquals(2, edges.get(0).stats().count());
      assertEquals(NOW.minusSeconds(60), edges.get(0).stats().firstSeen());
      assertEquals(2, counters.accepted());
      StoredEdge stored = store.loadEdges().get(0);
      assertEquals(2, stored.count());
      assertEquals(List.of(new StoredEdge.Bucket(NOW.getEpochSecond() / 3600, 2, 1000)), stored.buckets());
      assertEquals(List.of(new StoredEdge.Decision("", "", "via_upstream", 2)), stored.decisions());
      assertEquals(java.util.Set.of("ENVOY_INBOUND_HTTP"), stored.observers());
      a.close();
    }
  }

  @Test
  void anEdgeKeepsOnlyTheHoursSinceTheLastFlush_andTheStoreAddsThemUp_acrossARestart(@TempDir Path dir)
      throws Exception {
    StreamNode cart = node("cart-7d9f8c6b5d-abcde");
    long hour = NOW.getEpochSecond() / 3600;
    try (SqliteStore store = SqliteStore.open(dir)) {
      LiveAggregator a = new LiveAggregator(store, settings(1000, Duration.ofDays(30)), new IngestCounters()).start();
      a.snapshot(cluster());
      for (int h = 3; h >= 1; h--) {
        a.put(List.of(inbound(cart, "10.0.0.12", 7070, NOW.minus(Duration.ofHours(h)))));
        a.flush().get(5, TimeUnit.SECONDS);
        assertEquals(0, a.pendingBuckets().get(5, TimeUnit.SECONDS), "a flushed hour is the store's alone");
      }
      // A late entry for an hour already flushed, and one of this hour.
      a.put(List.of(inbound(cart, "10.0.0.12", 7070, NOW.minus(Duration.ofHours(2))),
          inbound(cart, "10.0.0.12", 7070, NOW)));
      assertEquals(2, a.pendingBuckets().get(5, TimeUnit.SECONDS));
      a.close();
    }
    try (SqliteStore store = SqliteStore.open(dir)) {
      LiveAggregator a = new LiveAggregator(store, settings(1000, Duration.ofDays(30)), new IngestCounters()).start();
      a.snapshot(cluster());
      a.put(List.of(inbound(cart, "10.0.0.12", 7070, NOW)));
      a.flush().get(5, TimeUnit.SECONDS);
      assertEquals(6, edges(a).get(0).stats().count());
      StoredEdge stored = store.loadEdges().get(0);
      assertEquals(6, stored.count());
      assertEquals(List.of(new StoredEdge.Bucket(hour - 3, 1, 500), new StoredEdge.Bucket(hour - 2, 2, 1000),
          new StoredEdge.Bucket(hour - 1, 1, 500), new StoredEdge.Bucket(hour, 2, 1000)), stored.buckets());
      assertEquals(List.of(new StoredEdge.Decision("", "", "via_upstream", 6)), stored.decisions());
      a.close();
    }
  }

  @Test
  void entriesForAnotherWorkloadOrNoWorkloadAreRefusedAndCounted(@TempDir Path dir) throws Exception {
    IngestCounters counters = new IngestCounters();
    try (SqliteStore store = SqliteStore.open(dir)) {
      LiveAggregator a = new LiveAggregator(store, settings(1000, Duration.ofDays(30)), counters).start();
      a.snapshot(cluster());
      StreamNode cart = node("cart-7d9f8c6b5d-abcde");
      a.put(List.of(
          inbound(cart, "10.0.0.10", 8080, NOW), // frontend's address on cart's stream
          inbound(cart, "10.9.9.9", 8080, NOW), // nobody's address
          inbound(node("ghost-7d9f8c6b5d-abcde"), "10.0.0.12", 7070, NOW))); // a pod of no workload
      a.flush().get(5, TimeUnit.SECONDS);
      assertEquals(List.of(), edges(a));
      assertEquals(0, counters.accepted());
      assertEquals(Map.of(IngestCounters.LOCAL_OTHER, 1L, IngestCounters.LOCAL_UNKNOWN, 1L,
          IngestCounters.NODE_UNKNOWN, 1L), counters.refusedByReason());
      assertEquals(List.of(), store.loadEdges());
      a.close();
    }
  }

  @Test
  void bucketsOlderThanTheRetentionWindowAreEvicted_andEdgesWithNothingLeftForgotten(@TempDir Path dir)
      throws Exception {
    try (SqliteStore store = SqliteStore.open(dir)) {
      LiveAggregator a = new LiveAggregator(store, settings(1000, Duration.ofHours(2)), new IngestCounters()).start();
      a.snapshot(cluster());
      StreamNode cart = node("cart-7d9f8c6b5d-abcde");
      Instant old = NOW.minus(Duration.ofHours(5));
      ObservedFlow tcp = new ObservedFlow(old, Endpoint.ofAddress("10.0.0.10", 1), Endpoint.ofAddress("10.0.0.12", 9000),
          Protocol.TCP, 9000, null, null, null, 0, 10, ObservedFlow.Verdict.FORWARDED, cart.origin());
      a.put(List.of(inbound(cart, "10.0.0.12", 7070, old), inbound(cart, "10.0.0.12", 7070, NOW),
          new Observation(cart, tcp, null, null, null, true)));
      a.flush().get(5, TimeUnit.SECONDS);
      List<ObservedEdge> edges = edges(a);
      assertEquals(1, edges.size(), "the TCP edge seen only 5 hours ago is forgotten");
      assertEquals(2, edges.get(0).stats().count(), "totals keep what was seen");
      assertEquals(List.of(NOW.getEpochSecond() / 3600),
          store.loadEdges().get(0).buckets().stream().map(StoredEdge.Bucket::hour).toList());
      assertEquals(1, store.loadEdges().size());
      a.close();
    }
  }

  @Test
  void aPeerWhosePodIsGoneStillResolvesThroughTheAddressHistory(@TempDir Path dir) throws Exception {
    TestClusters.Churn churn = TestClusters.frontendPodGone();
    try (SqliteStore store = SqliteStore.open(dir)) {
      LiveAggregator a = new LiveAggregator(store, settings(1000, Duration.ofDays(30)), new IngestCounters()).start();
      a.snapshot(churn.after());
      StreamNode cart = node("cart-7d9f8c6b5d-abcde");
      // No certificate: only the address says who called, and its pod no longer exists.
      ObservedFlow f = new ObservedFlow(churn.whileHeld(), Endpoint.ofAddress("10.0.0.10", 40000),
          Endpoint.ofAddress("10.0.0.12", 7070), Protocol.TCP, 7070, null, null, null, 0, 10,
          ObservedFlow.Verdict.FORWARDED, cart.origin());
      a.put(List.of(new Observation(cart, f, null, null, null, true)));
      a.flush().get(5, TimeUnit.SECONDS);
      assertEquals("default/Deployment/frontend", edges(a).get(0).key().source().id());
      a.close();
    }
  }

  @Test
  void batchesThatFindNoRoomAreDroppedAndCounted(@TempDir Path dir) throws Exception {
    IngestCounters counters = new IngestCounters();
    try (SqliteStore store = SqliteStore.open(dir)) {
      // Not started: nothing drains the queue.
      LiveAggregator a = new LiveAggregator(store, settings(2, Duration.ofDays(1)), counters);
      StreamNode cart = node("cart-7d9f8c6b5d-abcde");
      Observation o = inbound(cart, "10.0.0.12", 7070, NOW);
      assertTrue(a.offer(List.of(o, o), 10, TimeUnit.MILLISECONDS));
      assertEquals(2, a.queueDepth());
      assertFalse(a.offer(List.of(o), 10, TimeUnit.MILLISECONDS));
      assertFalse(a.offer(List.of(o, o, o), 10, TimeUnit.MILLISECONDS));
      assertEquals(4, counters.dropped());
    }
  }

  @Test
  void aRestartResumesFromTheStore(@TempDir Path dir) throws Exception {
    StreamNode cart = node("cart-7d9f8c6b5d-abcde");
    try (SqliteStore store = SqliteStore.open(dir)) {
      LiveAggregator a = new LiveAggregator(store, settings(1000, Duration.ofDays(30)), new IngestCounters()).start();
      a.snapshot(cluster());
      a.put(List.of(inbound(cart, "10.0.0.12", 7070, NOW)));
      a.close(Duration.ofSeconds(5));
    }
    try (SqliteStore store = SqliteStore.open(dir)) {
      LiveAggregator a = new LiveAggregator(store, settings(1000, Duration.ofDays(30)), new IngestCounters()).start();
      a.snapshot(cluster());
      assertEquals(1, edges(a).get(0).stats().count(), "close() flushed what was queued");
      a.put(List.of(inbound(cart, "10.0.0.12", 7070, NOW)));
      a.flush().get(5, TimeUnit.SECONDS);
      assertEquals(2, edges(a).get(0).stats().count());
      assertEquals(2, store.loadEdges().get(0).count());
      a.close();
    }
  }

  @Test
  void rbacShadowResultsAreKeptPerEdge(@TempDir Path dir) throws Exception {
    try (SqliteStore store = SqliteStore.open(dir)) {
      LiveAggregator a = new LiveAggregator(store, settings(1000, Duration.ofDays(30)), new IngestCounters()).start();
      a.snapshot(cluster());
      StreamNode cart = node("cart-7d9f8c6b5d-abcde");
      Observation o = inbound(cart, "10.0.0.12", 7070, NOW);
      a.put(List.of(new Observation(cart, o.flow(), "denied", null, "via_upstream", true), o));
      TrafficView v = a.view().get(5, TimeUnit.SECONDS);
      while (v.traffic().edges().isEmpty()) {
        v = a.view().get(5, TimeUnit.SECONDS);
      }
      assertEquals(List.of(new StoredEdge.Decision("", "", "via_upstream", 1),
          new StoredEdge.Decision("denied", "", "via_upstream", 1)), v.decisions().get(v.traffic().edges().get(0).key()));
      a.close();
    }
  }
}
