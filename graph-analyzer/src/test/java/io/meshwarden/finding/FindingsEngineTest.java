package io.meshwarden.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.analysis.AnalysisReport;
import io.meshwarden.analysis.Analyzer;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.EdgeStats;
import io.meshwarden.traffic.FlowSource;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each detector on Online Boutique, with and without its NetworkPolicies, against its documented calls. */
class FindingsEngineTest {
  private static final String EXAMPLES = "../manifests/examples/online-boutique/";
  private static final String WITH_POLICIES = EXAMPLES + "derived/kustomize-base+network-policies.rendered.yaml";
  private static final String WITHOUT_POLICIES = EXAMPLES + "upstream/release/kubernetes-manifests.yaml";

  /** The documented call graph (README "Architecture"), as observed L4 edges. */
  static final String[][] CALLS = {
      {"loadgenerator", "frontend", "8080"}, {"frontend", "adservice", "9555"}, {"frontend", "cartservice", "7070"},
      {"frontend", "checkoutservice", "5050"}, {"frontend", "currencyservice", "7000"},
      {"frontend", "productcatalogservice", "3550"}, {"frontend", "recommendationservice", "8080"},
      {"frontend", "shippingservice", "50051"}, {"checkoutservice", "cartservice", "7070"},
      {"checkoutservice", "currencyservice", "7000"}, {"checkoutservice", "emailservice", "8080"},
      {"checkoutservice", "paymentservice", "50051"}, {"checkoutservice", "productcatalogservice", "3550"},
      {"checkoutservice", "shippingservice", "50051"}, {"recommendationservice", "productcatalogservice", "3550"},
      {"cartservice", "redis-cart", "6379"}};

  static TrafficModel documentedTraffic(String... extra) {
    List<ObservedEdge> edges = new ArrayList<>();
    List<String[]> calls = new ArrayList<>(List.of(CALLS));
    if (extra.length > 0) {
      calls.add(extra);
    }
    Instant t = Instant.parse("2026-11-20T09:00:00Z");
    for (String[] c : calls) {
      edges.add(new ObservedEdge(new EdgeKey(wl(c[0]), wl(c[1]), Protocol.TCP, Integer.parseInt(c[2]), null, null),
          new EdgeStats(10, 1000, t, t.plusSeconds(3600), 0, new Origin("flows.json", 1), Set.of(FlowSource.HUBBLE))));
    }
    edges.add(new ObservedEdge(new EdgeKey(PeerRef.external("203.0.113.7/32"), wl("frontend"), Protocol.TCP, 8080,
        null, null), new EdgeStats(5, 500, t, t, 0, new Origin("flows.json", 2), Set.of(FlowSource.HUBBLE))));
    return new TrafficModel(edges, 175, List.of(), 0, Map.of());
  }

  private static PeerRef wl(String name) {
    return PeerRef.workload("default/Deployment/" + name);
  }

  static AnalysisReport analyze(String manifests, TrafficModel traffic) throws Exception {
    ClusterModel m = new ManifestLoader(false).load(List.of(manifests)).model();
    return Analyzer.run(m, traffic, Analyzer.Options.defaults()).report();
  }

  private static List<Finding> of(AnalysisReport r, Rule rule) {
    return r.findings().stream().filter(f -> f.rule() == rule).toList();
  }

  @Test
  void withUpstreamPolicies_documentedTrafficBreaksNothing() throws Exception {
    AnalysisReport r = analyze(WITH_POLICIES, documentedTraffic());
    assertEquals(List.of(), of(r, Rule.WOULD_BREAK));
  }

  @Test
  void withUpstreamPolicies_aNewCallIsReportedAsWouldBreak_namingThePolicy() throws Exception {
    AnalysisReport r = analyze(WITH_POLICIES, documentedTraffic("adservice", "redis-cart", "6379"));
    List<Finding> wb = of(r, Rule.WOULD_BREAK);
    assertEquals(1, wb.size(), wb.toString());
    assertTrue(wb.get(0).title().contains("default/adservice -> default/redis-cart TCP 6379"), wb.get(0).title());
    assertTrue(wb.get(0).evidence().stream().anyMatch(e -> e.contains("NetworkPolicy default/")), wb.get(0).evidence().toString());
    assertTrue(wb.get(0).origin().line() > 0, "points at the policy's manifest line");
  }

  @Test
  void loadBalancerFrontend_isExternalExposure_withItsManifestLine() throws Exception {
    AnalysisReport r = analyze(WITH_POLICIES, TrafficModel.empty());
    Finding lb = of(r, Rule.EXTERNAL_EXPOSURE).stream().filter(f -> f.title().contains("LoadBalancer")).findFirst()
        .orElseThrow();
    assertEquals("default/Deployment/frontend", lb.subject());
    assertTrue(lb.title().contains("Service default/frontend-external"), lb.title());
    assertTrue(lb.origin().file().endsWith("network-policies.rendered.yaml") && lb.origin().line() > 0);
  }

  @Test
  void withoutPolicies_everyNamespaceLacksDefaultDeny_andTheInternetReachesRedis() throws Exception {
    AnalysisReport r = analyze(WITHOUT_POLICIES, documentedTraffic());
    List<Finding> noDeny = of(r, Rule.NO_DEFAULT_DENY);
    assertEquals(2, noDeny.size(), "ingress and egress of namespace default");
    assertTrue(noDeny.get(0).title().contains("12 of 12 workloads"), noDeny.get(0).title());
    List<Finding> lateral = of(r, Rule.LATERAL_MOVEMENT);
    assertTrue(lateral.stream().anyMatch(f -> f.subject().equals("default/Deployment/frontend")
        && f.severity() == Severity.CRITICAL && f.evidence().stream().anyMatch(e -> e.contains("redis-cart"))),
        lateral.toString());
  }

  @Test
  void withPolicies_theOnlyPathToRedisIsTheAppsOwnObservedDataPath_reportedBelowCritical() throws Exception {
    AnalysisReport r = analyze(WITH_POLICIES, documentedTraffic());
    Finding f = of(r, Rule.LATERAL_MOVEMENT).stream().filter(x -> x.subject().equals("default/Deployment/frontend"))
        .findFirst().orElseThrow();
    assertTrue(f.evidence().contains(
        "app's own data path: frontend -[TCP 7070, used]-> cartservice -[TCP 6379, used]-> redis-cart (image redis:alpine)"),
        f.evidence().toString());
    assertEquals(Severity.MEDIUM, f.severity());
    assertTrue(f.title().contains("only along the app's own data path") && f.title().endsWith("default/redis-cart in 2 hops"),
        f.title());
  }

  @Test
  void withoutPolicies_anUnusedDirectHopToRedisIsCritical_andOnlyTheEntryPointHasALateralFinding() throws Exception {
    AnalysisReport r = analyze(WITHOUT_POLICIES, documentedTraffic());
    List<Finding> lateral = of(r, Rule.LATERAL_MOVEMENT);
    assertEquals(List.of("default/Deployment/frontend"), lateral.stream().map(Finding::subject).toList());
    Finding f = lateral.get(0);
    assertEquals(Severity.CRITICAL, f.severity());
    assertTrue(f.title().endsWith("over allowed hops no traffic used, nearest default/redis-cart in 1 hop"), f.title());
    assertTrue(f.evidence().contains("frontend -[All Connections, unused]-> redis-cart (image redis:alpine)"),
        f.evidence().toString());
  }

  @Test
  void withoutPolicies_unusedPairsAreNotBlamedOnRules_butWithPoliciesEachRuleIsAccounted() throws Exception {
    AnalysisReport open = analyze(WITHOUT_POLICIES, documentedTraffic());
    assertEquals(List.of(), of(open, Rule.ALLOWED_BUT_UNOBSERVED), "no rules to blame");
    AnalysisReport tight = analyze(WITH_POLICIES, documentedTraffic());
    List<Finding> unused = of(tight, Rule.ALLOWED_BUT_UNOBSERVED);
    // frontend's ingress rule admits every pod; only loadgenerator was seen.
    assertTrue(unused.stream().anyMatch(f -> f.subject().equals("NetworkPolicy default/frontend")
        && f.title().contains("1 used")), unused.toString());
    assertFalse(unused.stream().anyMatch(f -> f.title().startsWith("ingress rule 1 of NetworkPolicy default/redis-cart")),
        "redis-cart admits only cartservice, which was seen: " + unused);
    assertTrue(unused.stream().anyMatch(f -> f.title().startsWith("egress rule 1 of NetworkPolicy default/redis-cart")
        && f.title().contains("0 used")), "but its allow-all egress rule was never used: " + unused);
  }

  @Test
  void withoutTraffic_thereIsNothingToCallUnused() throws Exception {
    assertEquals(List.of(), of(analyze(WITH_POLICIES, TrafficModel.empty()), Rule.ALLOWED_BUT_UNOBSERVED));
  }

  @Test
  void overBroadRules_areFlagged() throws Exception {
    AnalysisReport r = analyze(WITH_POLICIES, TrafficModel.empty());
    assertTrue(of(r, Rule.OVER_BROAD_RULE).stream().anyMatch(f -> f.subject().equals("NetworkPolicy default/frontend")),
        of(r, Rule.OVER_BROAD_RULE).toString());
  }
}
