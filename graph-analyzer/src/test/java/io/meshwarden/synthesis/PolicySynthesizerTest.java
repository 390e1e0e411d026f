package io.meshwarden.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.ingest.traffic.TrafficLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.EdgeStats;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PolicySynthesizerTest {
  private static final String BOUTIQUE = "../manifests/examples/online-boutique/upstream/release/kubernetes-manifests.yaml";
  private static final String FLOWS = "../manifests/examples/online-boutique/flows/";

  static ClusterModel boutique() throws Exception {
    return new ManifestLoader(false).load(List.of(BOUTIQUE, FLOWS + "endpointslices.yaml")).model();
  }

  static TrafficModel boutiqueTraffic(ClusterModel m) throws Exception {
    return TrafficLoader.load(List.of(FLOWS + "envoy-inbound-access-log.jsonl"), m, TrafficLoader.Options.defaults())
        .traffic();
  }

  private static WorkloadPolicy policy(PolicySet set, String name) {
    return set.forWorkload("default/Deployment/" + name).orElseThrow();
  }

  @Test
  void ingressHasExactlyTheObservedSourcesPortsAndGrpcMethods() throws Exception {
    ClusterModel m = boutique();
    PolicySet set = PolicySynthesizer.synthesize(m, boutiqueTraffic(m), PolicySynthesizer.Options.defaults()).policies();
    assertEquals(12, set.policies().size());
    WorkloadPolicy cart = policy(set, "cartservice");
    List<PortRule> observed = cart.ingress().stream().filter(r -> r.provenance().reason().equals("observed")).toList();
    assertEquals(1, observed.stream().map(PortRule::port).distinct().count());
    assertEquals(7070, observed.get(0).port());
    assertEquals(List.of("default/Deployment/checkoutservice", "default/Deployment/frontend"),
        observed.stream().flatMap(r -> r.peers().stream()).map(Peer::workloadId).distinct().sorted().toList());
    assertTrue(observed.stream().flatMap(r -> r.http().stream())
        .allMatch(h -> h.method().equals("POST") && h.path().startsWith("/hipstershop.CartService/") && !h.prefix()));
    Peer frontend = observed.stream().flatMap(r -> r.peers().stream())
        .filter(p -> p.workloadId().endsWith("/frontend")).findFirst().orElseThrow();
    assertEquals("cluster.local/ns/default/sa/frontend", frontend.principal());
    assertEquals(Map.of("app", "frontend"), frontend.podLabels(), "reuses the workload's own labels");
  }

  @Test
  void keepsProbesDnsAndTheLoadBalancerEntryPoint() throws Exception {
    ClusterModel m = boutique();
    PolicySet set = PolicySynthesizer.synthesize(m, boutiqueTraffic(m), PolicySynthesizer.Options.defaults()).policies();
    WorkloadPolicy frontend = policy(set, "frontend");
    assertTrue(frontend.ingress().stream().anyMatch(r -> r.port() == 8080 && r.peers().contains(Peer.KUBELET)),
        "frontend's httpGet probes on 8080");
    assertTrue(frontend.ingress().stream().anyMatch(r -> r.port() == 8080
        && r.peers().stream().anyMatch(p -> "0.0.0.0/0".equals(p.cidr()))), "frontend-external LoadBalancer");
    for (WorkloadPolicy p : set.policies()) {
      assertTrue(p.egress().stream().anyMatch(r -> r.protocol() == Protocol.UDP && r.port() == 53
          && r.peers().contains(Peer.KUBE_DNS)), p.workloadId() + " keeps DNS");
    }
    WorkloadPolicy redis = policy(set, "redis-cart");
    assertTrue(redis.ingress().stream().allMatch(r -> r.peers().equals(List.of(Peer.KUBELET))),
        "nothing observed into redis (TCP is invisible to an HTTP access log): only probes " + redis.ingress());
  }

  @Test
  void sameInputSameOutput() throws Exception {
    ClusterModel m = boutique();
    TrafficModel t = boutiqueTraffic(m);
    assertEquals(PolicySynthesizer.synthesize(m, t, PolicySynthesizer.Options.defaults()),
        PolicySynthesizer.synthesize(m, t, PolicySynthesizer.Options.defaults()));
  }

  private static ObservedEdge edge(String src, String dst, int port, String method, String path, long count,
      Instant last) {
    return new ObservedEdge(new EdgeKey(PeerRef.workload("default/Deployment/" + src),
        PeerRef.workload("default/Deployment/" + dst), Protocol.TCP, port, method, path),
        new EdgeStats(count, 0, last.minusSeconds(60), last, 0, new Origin("f", 1)));
  }

  @Test
  void minFlowsAndSinceDropRareAndStaleEdges() throws Exception {
    ClusterModel m = boutique();
    Instant now = Instant.parse("2026-11-20T12:00:00Z");
    TrafficModel t = new TrafficModel(List.of(
        edge("frontend", "adservice", 9555, null, null, 100, now),
        edge("checkoutservice", "adservice", 9555, null, null, 1, now),
        edge("emailservice", "adservice", 9555, null, null, 100, now.minus(Duration.ofDays(3)))), 201, List.of(), 0,
        Map.of());
    var o = new PolicySynthesizer.Options("cluster.local", 2, Duration.ofHours(24), 50, false, false, false);
    PolicySynthesizer.Result r = PolicySynthesizer.synthesize(m, t, o);
    WorkloadPolicy ad = policy(r.policies(), "adservice");
    assertEquals(List.of("default/Deployment/frontend"),
        ad.ingress().stream().flatMap(x -> x.peers().stream()).map(Peer::workloadId).toList());
    assertTrue(r.notes().stream().anyMatch(n -> n.contains("--min-flows")));
    assertTrue(r.notes().stream().anyMatch(n -> n.contains("--since")));
  }

  @Test
  void ruleBudget_mergesPathsIntoPrefixes() throws Exception {
    ClusterModel m = boutique();
    Instant now = Instant.parse("2026-11-20T12:00:00Z");
    List<ObservedEdge> edges = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      edges.add(edge("loadgenerator", "frontend", 8080, "GET", "/product/item" + i + "/reviews", 5, now));
    }
    edges.add(edge("loadgenerator", "frontend", 8080, "GET", "/cart", 5, now));
    TrafficModel t = new TrafficModel(edges, 155, List.of(), 0, Map.of());
    var o = new PolicySynthesizer.Options("cluster.local", 1, null, 5, false, false, false);
    PolicySynthesizer.Result r = PolicySynthesizer.synthesize(m, t, o);
    List<HttpMatch> http = policy(r.policies(), "frontend").ingress().stream().flatMap(x -> x.http().stream()).toList();
    assertTrue(http.size() <= 5, http.toString());
    assertTrue(http.contains(new HttpMatch("GET", "/product/", true)) || http.contains(new HttpMatch("GET", "/product/item0/", true))
        || http.stream().anyMatch(h -> h.prefix() && h.path().startsWith("/product/")), http.toString());
    assertTrue(http.contains(new HttpMatch("GET", "/cart", false)), http.toString());
    assertTrue(r.notes().stream().anyMatch(n -> n.contains("--max-rules-per-workload")));
  }

  @Test
  void templatedPaths_becomePrefixesUpToTheVariable() {
    assertEquals(new HttpMatch("GET", "/users/", true), Budget.match("GET", "/users/{id}/orders"));
    assertEquals(new HttpMatch("POST", "/api/v1/login", false), Budget.match("POST", "/api/v1/login"));
  }

  @Test
  void everyWorkloadGetsAPolicy_evenWithoutTraffic() throws Exception {
    ClusterModel m = boutique();
    PolicySet set = PolicySynthesizer.synthesize(m, TrafficModel.empty(),
        new PolicySynthesizer.Options("td", 1, null, 50, false, false, false)).policies();
    assertEquals(m.workloads().stream().map(w -> w.id()).sorted().collect(Collectors.toList()),
        set.policies().stream().map(WorkloadPolicy::workloadId).toList());
    assertTrue(policy(set, "paymentservice").ingress().isEmpty(), "deny all");
  }
}
