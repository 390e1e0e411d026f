package io.meshwarden.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.analysis.Analyzer;
import io.meshwarden.authz.Verdict;
import io.meshwarden.graph.GraphEdge;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.traffic.TrafficModel;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Istio authorization in the graph and in lateral movement, on Online Boutique with its own
 * AuthorizationPolicies (deny-all plus one ALLOW per service, rendered from its Helm chart).
 */
class IstioLateralMovementTest {
  private static final String BOUTIQUE = "../manifests/examples/online-boutique/";
  private static final String APP = BOUTIQUE + "upstream/release/kubernetes-manifests.yaml";
  private static final String AUTHZ = BOUTIQUE + "derived/authorization-policies.rendered-from-helm.yaml";

  private static Analyzer.Result run(List<String> files, TrafficModel traffic) throws Exception {
    ClusterModel m = new ManifestLoader(false).load(files).model();
    return Analyzer.run(m, traffic, Analyzer.Options.defaults());
  }

  private static GraphEdge edge(Analyzer.Result r, String from, String to) {
    return r.graph().edges().stream().filter(e -> e.source().equals("default/Deployment/" + from)
        && e.target().equals("default/Deployment/" + to)).findFirst().orElseThrow();
  }

  private static Finding lateral(Analyzer.Result r) {
    List<Finding> l = r.report().findings().stream().filter(f -> f.rule() == Rule.LATERAL_MOVEMENT).toList();
    assertEquals(1, l.size(), l.toString());
    return l.get(0);
  }

  @Test
  void anEdgeL4AllowsButAuthorizationDenies_isNotAllowed_andNamesThePolicyThatDenied() throws Exception {
    Analyzer.Result r = run(List.of(APP, AUTHZ), TrafficModel.empty());
    GraphEdge e = edge(r, "frontend", "redis-cart");
    assertTrue(e.isL4Allowed());
    assertFalse(e.isAllowed());
    assertEquals(Verdict.DENIED, e.verdict());
    assertEquals("denied", e.tag());
    String why = r.graph().decision(e).decidedBy();
    assertTrue(why.startsWith("egress on TCP 6379: ALLOWED (") && why.contains("; ingress on TCP 6379: ALLOWED (")
        && why.contains("; Istio authorization: DENIED by AuthorizationPolicy default/"), why);
    GraphEdge used = edge(r, "cartservice", "redis-cart");
    assertTrue(used.isAllowed());
    assertEquals(Verdict.DEPENDS, used.verdict(), "allowed on 6379 only");
    String usedWhy = r.graph().decision(used).decidedBy();
    assertTrue(usedWhy.contains("Istio authorization: ALLOWED by AuthorizationPolicy default/redis-cart rule #1 ("
        + AUTHZ + ":63) on TCP 6379; DENIED by AuthorizationPolicy default/"), usedWhy);
  }

  @Test
  void withoutAuthorizationPolicies_theDecisionSaysNoPolicyApplies() throws Exception {
    Analyzer.Result r = run(List.of(APP), TrafficModel.empty());
    GraphEdge e = edge(r, "frontend", "redis-cart");
    assertTrue(e.isAllowed());
    assertEquals(null, e.authz());
    assertTrue(r.graph().decision(e).decidedBy().contains("Istio authorization on TCP 6379: ALLOWED (no"
        + " AuthorizationPolicy applies to default/redis-cart)"), r.graph().decision(e).decidedBy());
  }

  @Test
  void lateralPathsThroughHopsAuthorizationDenies_disappear() throws Exception {
    Finding open = lateral(run(List.of(APP), TrafficModel.empty()));
    assertTrue(open.evidence().contains("frontend -[All Connections]-> redis-cart (image redis:alpine)"),
        open.evidence().toString());
    assertTrue(open.title().endsWith("nearest default/redis-cart in 1 hop (no traffic given: needed and unneeded hops"
        + " cannot be told apart)"), open.title());

    Finding istio = lateral(run(List.of(APP, AUTHZ), TrafficModel.empty()));
    assertTrue(istio.title().contains("nearest default/redis-cart in 2 hops"), istio.title());
    assertTrue(istio.evidence().stream().noneMatch(x -> x.startsWith("frontend -[") && x.indexOf("]-> ") == x.indexOf(
        "]-> redis-cart")),
        istio.evidence().toString());
    assertTrue(istio.evidence().stream().anyMatch(x -> x.startsWith("frontend -[SCTP 1-65535,TCP 7070,UDP 1-65535, Istio"
        + " depends]-> cartservice -[SCTP 1-65535,TCP 6379,UDP 1-65535, Istio depends]-> redis-cart")), istio.evidence().toString());
  }

  @Test
  void withAuthorizationPoliciesAndTheAppsTraffic_nothingIsCritical_theRestIsItsOwnDataPath() throws Exception {
    Analyzer.Result open = run(List.of(APP), FindingsEngineTest.documentedTraffic());
    assertEquals(Severity.CRITICAL, lateral(open).severity());
    Analyzer.Result istio = run(List.of(APP, AUTHZ), FindingsEngineTest.documentedTraffic());
    Finding f = lateral(istio);
    assertEquals(Severity.MEDIUM, f.severity(), f.toString());
    assertTrue(f.title().contains("only along the app's own data path"), f.title());
    assertEquals(0, istio.report().countsBySeverity().get(Severity.CRITICAL), istio.report().findings().toString());
  }

  @Test
  void anObservedCallAuthorizationDenies_isWouldBreak_namingThePolicyAndItsLine() throws Exception {
    Analyzer.Result clean = run(List.of(APP, AUTHZ), FindingsEngineTest.documentedTraffic());
    assertEquals(List.of(), clean.report().findings().stream().filter(f -> f.rule() == Rule.WOULD_BREAK).toList(),
        "the app's own calls are all allowed by its AuthorizationPolicies");

    Analyzer.Result r = run(List.of(APP, AUTHZ), FindingsEngineTest.documentedTraffic("adservice", "redis-cart", "6379"));
    List<Finding> wb = r.report().findings().stream().filter(f -> f.rule() == Rule.WOULD_BREAK).toList();
    assertEquals(1, wb.size(), wb.toString());
    Finding f = wb.get(0);
    assertTrue(f.title().contains("default/adservice -> default/redis-cart TCP 6379")
        && f.title().contains("is denied by AuthorizationPolicy default/"), f.title());
    assertTrue(f.evidence().get(0).startsWith("Istio authorization: DENIED"), f.evidence().toString());
    assertTrue(f.origin().file().endsWith("authorization-policies.rendered-from-helm.yaml") && f.origin().line() > 0,
        f.origin().toString());

    Analyzer.Result l4Only = run(List.of(APP), FindingsEngineTest.documentedTraffic("adservice", "redis-cart", "6379"));
    assertTrue(l4Only.report().findings().stream().noneMatch(x -> x.rule() == Rule.WOULD_BREAK),
        "without AuthorizationPolicies nothing denies it");
  }

  @Test
  void aCustomActionIsNotEvaluable_neverAllowed() throws Exception {
    String yaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: c, image: web, ports: [{containerPort: 8080}]}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: db, namespace: shop}
        spec:
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: c, image: postgres, ports: [{containerPort: 5432}]}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: ext, namespace: shop}
        spec:
          selector: {matchLabels: {app: db}}
          action: CUSTOM
          provider: {name: opa}
          rules: [{}]
        """;
    ClusterModel m = new ManifestLoader(false).load("shop.yaml", new StringReader(yaml)).model();
    Analyzer.Result r = Analyzer.run(m, TrafficModel.empty(), Analyzer.Options.defaults());
    GraphEdge e = r.graph().edges().stream().filter(x -> x.source().equals("shop/Deployment/web")
        && x.target().equals("shop/Deployment/db")).findFirst().orElseThrow();
    assertEquals(Verdict.NOT_EVALUABLE, e.verdict(), r.graph().decision(e).decidedBy());
    assertFalse(e.isAllowed());
  }
}
