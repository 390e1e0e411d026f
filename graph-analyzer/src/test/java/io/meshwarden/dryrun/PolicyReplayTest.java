package io.meshwarden.dryrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.authz.AuthorizationPolicyEvaluator;
import io.meshwarden.authz.AuthzYaml;
import io.meshwarden.authz.Verdict;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.EdgeStats;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Recorded flows through L4 and Istio authorization together; what the records cannot settle is not called allowed. */
class PolicyReplayTest {
  private static final String APP = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: web}}
          spec: {serviceAccountName: web, containers: [{name: c, image: web}]}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: api}}
          spec: {serviceAccountName: api, containers: [{name: c, image: api, ports: [{containerPort: 8080}]}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: api, namespace: shop}
      spec:
        selector: {app: api}
        ports: [{name: http, port: 80, targetPort: 8080}]
      ---
      """;

  /** Web may GET from api; anything else web sends api is denied. */
  private static final String API_READS = AuthzYaml.onApp("shop", "api", "api-reads", """
      rules:
      - from: [{source: {serviceAccounts: [web]}}]
        to: [{operation: {methods: [GET]}}]
      """);

  private static ObservedEdge edge(String method, String path, long count) {
    Instant t = Instant.parse("2026-11-20T09:00:00Z");
    return new ObservedEdge(new EdgeKey(PeerRef.workload("shop/Deployment/web"), PeerRef.workload("shop/Deployment/api"),
        Protocol.TCP, 8080, method, path), new EdgeStats(count, 0, t, t, 0, new Origin("flows.json", 1)));
  }

  private static ReplayReport replay(String policy, ObservedEdge... edges) throws Exception {
    ClusterModel m = new ManifestLoader(false).load("p.yaml", new StringReader(APP + policy)).model();
    List<String> warnings = new ArrayList<>();
    return PolicyReplay.replay(m, new TrafficModel(List.of(edges), 0, List.of(), 0, Map.of()),
        AuthorizationPolicyEvaluator.Options.DEFAULT, warnings::add);
  }

  @Test
  void l4OnlyFlows_againstAnHttpRule_cannotBeDecided_andSayWhatTheyLack() throws Exception {
    ReplayReport r = replay(API_READS, edge(null, null, 40), edge("GET", "/items", 7),
        edge("DELETE", "/items/{id}", 3));
    assertEquals(3, r.flowsDenied(), r.render());
    assertEquals(0, r.flowsUndecided(), "an L4 record of a connection also seen as requests is judged by them");
    ReplayReport l4only = replay(API_READS, edge(null, null, 40));
    assertEquals(40, l4only.flowsUndecided());
    assertTrue(l4only.mayDenyAnything() && !l4only.deniesAnything());
    ReplayReport.Group g = l4only.wouldDeny().get(0);
    assertEquals(Verdict.DEPENDS, g.verdict());
    assertEquals(List.of("request.method"), g.dependsOn());
    assertTrue(l4only.render().contains("MAY DENY 40 flows to shop/api[Deployment] TCP 8080 [Istio authorization]"),
        l4only.render());
    // Sources and samples are named as the destination is, never by the model's key.
    assertTrue(l4only.render().contains("  sources: shop/web[Deployment]\n"), l4only.render());
    assertFalse(l4only.render().contains("shop/Deployment/"), l4only.render());
  }

  @Test
  void customPolicy_flowsAreNotEvaluable_neverPassed() throws Exception {
    ReplayReport r = replay(AuthzYaml.onApp("shop", "api", "ext", """
        action: CUSTOM
        provider: {name: opa}
        rules: [{to: [{operation: {paths: ["/admin*"]}}]}]
        """), edge("GET", "/admin/users", 2), edge("GET", "/items", 5));
    assertEquals(2, r.flowsUndecided(), r.render());
    assertEquals(Verdict.NOT_EVALUABLE, r.wouldDeny().get(0).verdict());
    assertTrue(r.render().contains("NOT EVALUABLE 2 flows"), r.render());
  }

  private static ObservedEdge toExternal(String external, long count) {
    Instant t = Instant.parse("2026-11-20T09:00:00Z");
    return new ObservedEdge(new EdgeKey(PeerRef.workload("shop/Deployment/web"), PeerRef.external(external),
        Protocol.TCP, 443, null, null), new EdgeStats(count, 0, t, t, 0, new Origin("flows.json", 2)));
  }

  /** The API's allowlist pattern: domainNames Accept rules before a lower-precedence egress deny. */
  private static final String ALLOWLIST = """
      apiVersion: policy.networking.k8s.io/v1alpha2
      kind: ClusterNetworkPolicy
      metadata: {name: egress-allowlist}
      spec:
        tier: Admin
        priority: 1
        subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
        egress:
        - {name: allowlist, action: Accept, to: [{domainNames: ["*.example.com"]}]}
        - {name: rest, action: Deny, to: [{networks: [0.0.0.0/0]}]}
      """;

  @Test
  void flowsToANamedDestination_areDecidedByDomainNames_flowsToABareAddressDependOnDns() throws Exception {
    ReplayReport r = replay(ALLOWLIST, toExternal("api.example.com", 9), toExternal("evil.example.net", 4),
        toExternal("93.184.216.34/32", 2));
    assertEquals(4, r.flowsDenied(), r.render());
    assertEquals(2, r.flowsUndecided(), r.render());
    ReplayReport.Group denied = r.wouldDeny().stream().filter(g -> g.verdict() == Verdict.DENIED).findFirst()
        .orElseThrow();
    assertEquals("evil.example.net[External] TCP 443", denied.destination());
    assertTrue(denied.decidedBy().contains("ClusterNetworkPolicy egress-allowlist") && denied.decidedBy().contains(
        "egress rule \"rest\""), denied.decidedBy());
    ReplayReport.Group depends = r.wouldDeny().stream().filter(g -> g.verdict() == Verdict.DEPENDS).findFirst()
        .orElseThrow();
    assertTrue(depends.dependsOn().get(0).startsWith("DNS: whether the destination is an address of *.example.com")
        && depends.dependsOn().get(0).contains("egress rule \"allowlist\""), depends.dependsOn().toString());
  }
}
