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
import io.meshwarden.traffic.FlowSource;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    // loadgenerator only calls (inbound logs never see its own traffic); redis-cart speaks no HTTP.
    assertEquals(10, set.policies().size());
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
    PolicySet hubble = PolicySynthesizer.synthesize(m, viaHubble(), PolicySynthesizer.Options.defaults()).policies();
    for (WorkloadPolicy p : hubble.policies()) {
      assertTrue(p.egress().stream().anyMatch(r -> r.protocol() == Protocol.UDP && r.port() == 53
          && r.peers().contains(Peer.KUBE_DNS)), p.workloadId() + " keeps DNS");
    }
  }

  private static ObservedEdge hubble(PeerRef src, PeerRef dst, int port, Instant last) {
    return new ObservedEdge(new EdgeKey(src, dst, Protocol.TCP, port, null, null),
        new EdgeStats(5, 0, last.minusSeconds(60), last, 0, new Origin("f", 1), Set.of(FlowSource.HUBBLE)));
  }

  private static List<String> cidrs(List<PortRule> rules, int port) {
    return rules.stream().filter(r -> r.port() == port).flatMap(r -> r.peers().stream())
        .filter(p -> p.cidr() != null).map(Peer::cidr).distinct().sorted().toList();
  }

  @Test
  void theInternetIsWrittenInTheFamilyItWasSeenIn_ipv6OnlyWhereIpv6TrafficWas() throws Exception {
    ClusterModel m = boutique();
    Instant now = Instant.parse("2026-11-21T12:00:00Z");
    PeerRef frontend = PeerRef.workload("default/Deployment/frontend");
    PeerRef cart = PeerRef.workload("default/Deployment/cartservice");
    TrafficModel t = new TrafficModel(List.of(
        hubble(PeerRef.INTERNET_IPV6, frontend, 8080, now), hubble(frontend, PeerRef.INTERNET, 443, now),
        hubble(PeerRef.INTERNET, cart, 7070, now), hubble(frontend, cart, 7070, now)), 20, List.of(), 0, Map.of());
    PolicySet set = PolicySynthesizer.synthesize(m, t, PolicySynthesizer.Options.defaults()).policies();
    // frontend's LoadBalancer keeps 0.0.0.0/0 and, since IPv6 clients reached it, ::/0.
    assertEquals(List.of("0.0.0.0/0", "::/0"), cidrs(policy(set, "frontend").ingress(), 8080));
    assertTrue(policy(set, "frontend").ingress().stream().anyMatch(r -> r.provenance().reason()
        .contains("over IPv6 too")), policy(set, "frontend").ingress().toString());
    assertEquals(List.of("0.0.0.0/0"), cidrs(policy(set, "frontend").egress(), 443), "IPv4 egress: no ::/0");
    assertEquals(List.of("0.0.0.0/0"), cidrs(policy(set, "cartservice").ingress(), 7070), "IPv4 clients only");
  }

  @Test
  void withoutIpv6Traffic_noGeneratedRuleNamesIpv6() throws Exception {
    ClusterModel m = boutique();
    PolicySet set = PolicySynthesizer.synthesize(m, boutiqueTraffic(m), PolicySynthesizer.Options.defaults()).policies();
    assertTrue(set.policies().stream().flatMap(p -> java.util.stream.Stream.concat(p.ingress().stream(),
        p.egress().stream())).flatMap(r -> r.peers().stream()).noneMatch(p -> p.cidr() != null && p.cidr().contains(":")));
  }

  /** The documented call graph as Hubble saw it: L4, both directions, every port. */
  private static TrafficModel viaHubble() {
    Instant now = Instant.parse("2026-11-21T12:00:00Z");
    return new TrafficModel(List.of(edge("frontend", "cartservice", 7070, null, null, 10, now, FlowSource.HUBBLE),
        edge("cartservice", "redis-cart", 6379, null, null, 10, now, FlowSource.HUBBLE),
        edge("frontend", "adservice", 9555, null, null, 10, now, FlowSource.HUBBLE)), 30, List.of(), 0, Map.of());
  }

  @Test
  void inboundHttpLogsAlone_restrictNoEgress_andOnlyTheIngressPortsTheyLogged() throws Exception {
    ClusterModel m = boutique();
    PolicySet set = PolicySynthesizer.synthesize(m, boutiqueTraffic(m), PolicySynthesizer.Options.defaults()).policies();
    for (WorkloadPolicy p : set.policies()) {
      assertEquals(Scope.Extent.OPEN, p.egressScope().extent(), p.workloadId() + ": " + p.egressScope());
      assertEquals(List.of(), p.egress(), p.workloadId());
      assertEquals(Scope.Extent.PORTS, p.ingressScope().extent(), p.workloadId());
    }
    WorkloadPolicy cart = policy(set, "cartservice");
    assertEquals(List.of(new Scope.CoveredPort(Protocol.TCP, 7070, List.of("Envoy inbound HTTP access log"))),
        cart.ingressScope().ports());
    assertTrue(cart.ingressScope().why().contains("every other port stays open"), cart.ingressScope().why());
    assertTrue(cart.flowsIn() > 0 && cart.flowsOut() == 0, "cart's own calls to redis are not in inbound logs");
    Evidence ev = set.evidence();
    assertEquals(List.of("Envoy inbound HTTP access log"), ev.sources());
    assertTrue(ev.blindSpots().get(0).contains("egress"), ev.blindSpots().toString());
    assertTrue(ev.warnings().stream().anyMatch(w -> w.code().equals(Evidence.SHORT_WINDOW)
        && w.message().contains("shorter than 24 h")), ev.warnings().toString());
    assertEquals(List.of("default/Deployment/loadgenerator", "default/Deployment/redis-cart"),
        ev.notEnoughEvidence().stream().map(Evidence.Unobserved::workloadId).toList());
    assertTrue(ev.notEnoughEvidence().get(1).reason().startsWith("no flow in or out observed"),
        ev.notEnoughEvidence().toString());
  }

  @Test
  void outboundLogsAlone_restrictOnlyTheCallersEgress_onTheLoggedPorts() throws Exception {
    ClusterModel m = boutique();
    Instant now = Instant.parse("2026-11-21T12:00:00Z");
    TrafficModel t = new TrafficModel(List.of(
        edge("frontend", "cartservice", 7070, "POST", "/hipstershop.CartService/GetCart", 9, now,
            FlowSource.ENVOY_OUTBOUND_HTTP)), 9, List.of(), 0, Map.of());
    PolicySet set = PolicySynthesizer.synthesize(m, t, PolicySynthesizer.Options.defaults()).policies();
    WorkloadPolicy frontend = policy(set, "frontend");
    assertEquals(Scope.Extent.OPEN, frontend.ingressScope().extent());
    assertEquals(List.of(new Scope.CoveredPort(Protocol.TCP, 7070, List.of("Envoy outbound HTTP access log"))),
        frontend.egressScope().ports());
    assertEquals(List.of(53, 7070, 53), frontend.egress().stream().map(PortRule::port).toList(), "the call, and DNS (TCP, then UDP)");
    assertTrue(set.forWorkload("default/Deployment/cartservice").isEmpty());
    assertTrue(set.evidence().notEnoughEvidence().stream().anyMatch(u -> u.workloadId().endsWith("/cartservice")
        && u.reason().contains("no source in use watched its own ingress or egress")), set.evidence().toString());
  }

  @Test
  void edgesLeftOutByMinFlows_sayWhyTheirWorkloadsHaveNoPolicy() throws Exception {
    ClusterModel m = boutique();
    Instant now = Instant.parse("2026-11-21T12:00:00Z");
    TrafficModel t = new TrafficModel(List.of(edge("frontend", "cartservice", 7070, null, null, 50, now),
        edge("cartservice", "redis-cart", 6379, null, null, 1, now)), 51, List.of(), 0, Map.of());
    var o = new PolicySynthesizer.Options("cluster.local", 5, null, 50, false, false, false);
    PolicySet set = PolicySynthesizer.synthesize(m, t, o).policies();
    assertTrue(set.forWorkload("default/Deployment/redis-cart").isEmpty());
    assertTrue(set.evidence().notEnoughEvidence().stream().anyMatch(u -> u.workloadId().endsWith("/redis-cart")
        && u.reason().equals("1 flow(s) in or out, all on edges left out by --min-flows 5")),
        set.evidence().notEnoughEvidence().toString());
  }

  @Test
  void hubble_restrictsBothDirectionsOnEveryPort_andNamesItself() throws Exception {
    ClusterModel m = boutique();
    PolicySet set = PolicySynthesizer.synthesize(m, viaHubble(), PolicySynthesizer.Options.defaults()).policies();
    WorkloadPolicy cart = policy(set, "cartservice");
    assertEquals(Scope.Extent.ALL, cart.ingressScope().extent());
    assertEquals(Scope.Extent.ALL, cart.egressScope().extent());
    assertEquals(List.of("Hubble flow log"), cart.egressScope().sources());
    assertTrue(cart.egress().stream().anyMatch(r -> r.port() == 6379));
    assertTrue(set.forWorkload("default/Deployment/paymentservice").isEmpty(), "no flow, no policy");
  }

  @Test
  void includeUnobserved_restrictsWorkloadsWithoutFlowsToo() throws Exception {
    ClusterModel m = boutique();
    PolicySet set = PolicySynthesizer.synthesize(m, viaHubble(),
        new PolicySynthesizer.Options("td", 1, null, 50, false, false, false, true)).policies();
    assertEquals(m.workloads().size(), set.policies().size());
    WorkloadPolicy payment = policy(set, "paymentservice");
    assertTrue(payment.ingress().isEmpty() && payment.ingressScope().extent() == Scope.Extent.ALL, "deny all");
    assertTrue(set.evidence().notEnoughEvidence().isEmpty());
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
    return edge(src, dst, port, method, path, count, last, FlowSource.HUBBLE);
  }

  private static ObservedEdge edge(String src, String dst, int port, String method, String path, long count,
      Instant last, FlowSource seenBy) {
    return new ObservedEdge(new EdgeKey(PeerRef.workload("default/Deployment/" + src),
        PeerRef.workload("default/Deployment/" + dst), Protocol.TCP, port, method, path),
        new EdgeStats(count, 0, last.minusSeconds(60), last, 0, new Origin("f", 1), Set.of(seenBy)));
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
  void withoutTraffic_thereIsNoProposal() throws Exception {
    ClusterModel m = boutique();
    PolicySynthesizer.Result r = PolicySynthesizer.synthesize(m, TrafficModel.empty(),
        new PolicySynthesizer.Options("td", 1, null, 50, false, false, false, true));
    assertTrue(r.refusal().isPresent(), "not even --include-unobserved makes policy out of nothing");
    assertEquals(List.of(), r.policies().policies());
  }

  @Test
  void aSelectorThatWouldAlsoSelectAWorkloadWithoutEvidence_isWithheld() throws Exception {
    ClusterModel m = new ManifestLoader(false).load("two.yaml", new java.io.StringReader("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: default}
        spec:
          selector: {matchLabels: {app: web}}
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: i}]}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web-canary, namespace: default}
        spec:
          selector: {matchLabels: {app: web, track: canary}}
          template: {metadata: {labels: {app: web, track: canary}}, spec: {containers: [{name: c, image: i}]}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: client, namespace: default}
        spec:
          selector: {matchLabels: {app: client}}
          template: {metadata: {labels: {app: client}}, spec: {containers: [{name: c, image: i}]}}
        """)).model();
    TrafficModel t = new TrafficModel(List.of(edge("client", "web", 80, null, null, 5, Instant.parse("2026-11-21T00:00:00Z"))),
        5, List.of(), 0, Map.of());
    PolicySet set = PolicySynthesizer.synthesize(m, t, PolicySynthesizer.Options.defaults()).policies();
    assertTrue(set.forWorkload("default/Deployment/web").isEmpty(), "app=web also selects the canary, which has no evidence");
    assertTrue(set.evidence().notEnoughEvidence().stream().anyMatch(u -> u.workloadId().endsWith("/web")
        && u.reason().contains("also select default/Deployment/web-canary")), set.evidence().toString());
    assertTrue(set.forWorkload("default/Deployment/client").isPresent());
  }
}
