package io.meshwarden.ingest.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The real Hubble captures of Bookinfo, resolved against Bookinfo's own manifests. */
class TrafficLoaderTest {
  private static final String NS = "bookinfo";

  private static TrafficLoader.Result load(String... files) throws Exception {
    ClusterModel model = TrafficFixtures.bookinfoIn(NS);
    List<String> paths = java.util.Arrays.stream(files).map(f -> TrafficFixtures.hubble(f).toString()).toList();
    return TrafficLoader.load(paths, model, TrafficLoader.Options.defaults().withStrict(true));
  }

  private static Set<String> workloadPairs(TrafficModel m) {
    return m.edges().stream().map(ObservedEdge::key)
        .filter(k -> k.source().isWorkload() && k.destination().isWorkload())
        .map(k -> k.source().id() + " -> " + k.destination().id() + ":" + k.port())
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  @Test
  void tcpCapture_resolvesBookinfosCallGraph_byPodNameAndLabels() throws Exception {
    TrafficLoader.Result r = load("basic-sample-400-tcp-flows.json");
    assertEquals(0, r.summary().badRecordCount());
    // As captured (ratings -> productpage included); reviews-v1 never calls ratings, as in Bookinfo.
    String p = NS + "/Deployment/";
    assertEquals(Set.of(
        p + "productpage-v1 -> " + p + "details-v1:9080",
        p + "productpage-v1 -> " + p + "reviews-v1:9080",
        p + "productpage-v1 -> " + p + "reviews-v2:9080",
        p + "productpage-v1 -> " + p + "reviews-v3:9080",
        p + "reviews-v2 -> " + p + "ratings-v1:9080",
        p + "reviews-v3 -> " + p + "ratings-v1:9080",
        p + "ratings-v1 -> " + p + "productpage-v1:9080"), workloadPairs(r.traffic()));
    // Nothing from a Bookinfo pod stays unresolved: the rest is istio-system, kube-system, jaeger and nodes.
    assertTrue(r.traffic().unresolved().keySet().stream().noneMatch(k -> k.contains("labels match")),
        r.traffic().unresolved().toString());
  }

  @Test
  void httpCapture_givesL7EdgesWithPathTemplates_andCountsPodsOutsideTheModel() throws Exception {
    TrafficLoader.Result r = load("basic-sample-348-http-flows.json");
    TrafficModel m = r.traffic();
    assertEquals(175, m.flowsRead());
    assertEquals(173L, r.summary().skipped().get(HubbleJsonParser.SKIP_REPLY));
    ObservedEdge ratingsToProductpage = m.edges().stream()
        .filter(e -> e.key().source().id().equals(NS + "/Deployment/ratings-v1"))
        .findFirst().orElseThrow();
    assertEquals(PeerRef.workload(NS + "/Deployment/productpage-v1"), ratingsToProductpage.key().destination());
    assertEquals("GET", ratingsToProductpage.key().method());
    assertTrue(ratingsToProductpage.stats().count() > 10);
    assertTrue(!ratingsToProductpage.stats().firstSeen().isAfter(ratingsToProductpage.stats().lastSeen()));
    // Prometheus (istio-system) is not in Bookinfo's manifests: counted, and kept as an address peer.
    assertTrue(m.unresolved().getOrDefault("source: pod name matches no workload", 0L) > 100, m.unresolved().toString());
    long total = m.edges().stream().mapToLong(e -> e.stats().count()).sum();
    assertEquals(m.flowsRead() - m.unresolved().getOrDefault("flow not aggregated: an endpoint has no address or identity",
        0L), total, "every flow is in an edge or counted as not aggregated");
  }

  @Test
  void nodeAndWorldPeers_becomeExternalNodeAndInternet() throws Exception {
    TrafficModel m = load("basic-sample-10-flows.json").traffic();
    Set<String> peers = m.edges().stream().flatMap(e -> java.util.stream.Stream.of(e.key().source().id(),
        e.key().destination().id())).collect(Collectors.toSet());
    assertTrue(peers.contains("external:node"), peers.toString());
    assertTrue(peers.contains("internet"), peers.toString());
    assertTrue(peers.contains(NS + "/Deployment/reviews-v1"), peers.toString());
  }
}
