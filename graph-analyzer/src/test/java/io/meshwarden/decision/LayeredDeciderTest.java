package io.meshwarden.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.authz.AuthorizationPolicyEvaluator;
import io.meshwarden.authz.AuthzDecision;
import io.meshwarden.authz.AuthzYaml;
import io.meshwarden.authz.Verdict;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Protocol;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** Every layer in the order traffic meets them, each naming what decided; the final verdict across them. */
class LayeredDeciderTest {
  private static final String APP = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: client, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: client}}
          spec:
            serviceAccountName: client
            containers: [{name: c, image: curl}]
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: api}}
          spec:
            serviceAccountName: api
            containers: [{name: c, image: api, ports: [{containerPort: 8080}, {containerPort: 5432}]}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: api, namespace: shop}
      spec:
        selector: {app: api}
        ports: [{name: http-web, port: 80, targetPort: 8080}, {name: tcp-db, port: 5432}]
      """;

  private static LayeredDecider decider(String policies) {
    ClusterModel m;
    try {
      m = new ManifestLoader(false).load("app.yaml", new StringReader(APP + "---\n" + policies)).model();
    } catch (io.meshwarden.ingest.manifest.ManifestException e) {
      throw new AssertionError(e);
    }
    return LayeredDecider.of(m, ConnectivityAnalyzer.analyze(m),
        AuthorizationPolicyEvaluator.of(m, AuthorizationPolicyEvaluator.Options.DEFAULT));
  }

  private static Peer workload(LayeredDecider d, String name) {
    return new Peer.WorkloadPeer(d.model().workloads().stream().filter(w -> w.name().equals(name)).findFirst()
        .orElseThrow());
  }

  private static final String DENY_CLIENT = AuthzYaml.onApp("shop", "api", "no-client", """
      action: DENY
      rules:
      - from:
        - source: {principals: ["cluster.local/ns/shop/sa/client"]}
      """);

  @Test
  void istioDenies_whileL4Allows_finalIsDeniedAtTheAuthorizationLayerWithItsRuleLine() {
    LayeredDecider d = decider(DENY_CLIENT);
    LayeredDecision x = d.decide(workload(d, "client"), workload(d, "api"), Protocol.TCP, 8080, RequestAttributes.NONE,
        false);
    assertEquals(Verdict.DENIED, x.verdict());
    assertEquals(Verdict.ALLOWED, x.layer(Layer.L4_EGRESS).orElseThrow().verdict());
    assertEquals(Verdict.ALLOWED, x.layer(Layer.L4_INGRESS).orElseThrow().verdict());
    LayerDecision by = x.deciding();
    assertEquals(Layer.ISTIO_AUTHZ, by.layer());
    assertEquals("AuthorizationPolicy shop/no-client", by.policy());
    assertEquals("rule #1", by.rule());
    assertEquals("app.yaml:35", by.origin().toString(), "the rule's own line");
    assertTrue(x.headline("client -> api").startsWith(
        "client -> api: DENIED at Istio authorization by AuthorizationPolicy shop/no-client rule #1 (app.yaml:35)"),
        x.headline("client -> api"));
  }

  @Test
  void networkPolicyDenies_theIngressLayerDecides_andNamesThePolicy() {
    LayeredDecider d = decider("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: api-closed, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: api}}
          policyTypes: [Ingress]
        """);
    LayeredDecision x = d.decide(workload(d, "client"), workload(d, "api"), Protocol.TCP, 8080, RequestAttributes.NONE,
        false);
    assertEquals(Verdict.DENIED, x.verdict());
    assertEquals(Layer.L4_INGRESS, x.deciding().layer());
    assertEquals("NetworkPolicy shop/api-closed", x.deciding().policy());
    assertEquals(Verdict.ALLOWED, x.layer(Layer.ISTIO_AUTHZ).orElseThrow().verdict(), "no AuthorizationPolicy");
  }

  @Test
  void graphQuery_withNoRequestKnown_isAllSomeOrNone_byPolicyAndPort() {
    LayeredDecider d = decider(AuthzYaml.onApp("shop", "api", "api-get", """
        rules:
        - from: [{source: {namespaces: [shop]}}]
          to: [{operation: {methods: [GET]}}]
        """));
    Peer client = workload(d, "client");
    var api = ((Peer.WorkloadPeer) workload(d, "api")).workload();
    AuthzDecision http = d.authz(client, api, Protocol.TCP, 8080, RequestAttributes.NONE, false);
    assertEquals(Verdict.DEPENDS, http.verdict(), http.toString());
    assertEquals(java.util.List.of("request.method"), http.dependsOn());
    assertEquals("AuthorizationPolicy shop/api-get", http.policy());
    AuthzDecision tcp = d.authz(client, api, Protocol.TCP, 5432, RequestAttributes.NONE, false);
    assertEquals(Verdict.DENIED, tcp.verdict(), "tcp-db: an ALLOW rule with methods matches no TCP connection");
    AuthzDecision outside = d.authz(new Peer.ExternalPeer(IpRange.parseCidr("203.0.113.0/24")), api, Protocol.TCP,
        8080, RequestAttributes.NONE, false);
    assertEquals(Verdict.DENIED, outside.verdict(), "plaintext from outside has no namespace");
    assertEquals(Verdict.ALLOWED, d.authz(client, api, Protocol.UDP, 8080, RequestAttributes.NONE, false).verdict());
  }

  @Test
  void customAction_isNotEvaluable_neverAllowed() {
    LayeredDecider d = decider(AuthzYaml.onApp("shop", "api", "ext", """
        action: CUSTOM
        provider: {name: opa}
        rules: [{to: [{operation: {ports: ["8080"]}}]}]
        """));
    LayeredDecision x = d.decide(workload(d, "client"), workload(d, "api"), Protocol.TCP, 8080, RequestAttributes.NONE,
        false);
    assertEquals(Verdict.NOT_EVALUABLE, x.verdict());
    assertTrue(x.deciding().reason().contains("opa"), x.deciding().reason());
    assertEquals(Verdict.ALLOWED, d.decide(workload(d, "client"), workload(d, "api"), Protocol.TCP, 5432,
        RequestAttributes.NONE, false).verdict(), "the CUSTOM rule is scoped to 8080");
  }

  @Test
  void sidecarInjectionDisabled_noAuthorizationIsEnforced_andItsCallsArePlaintext() {
    LayeredDecider d = decider(DENY_CLIENT);
    var api = ((Peer.WorkloadPeer) workload(d, "api")).workload();
    var plain = new io.meshwarden.model.Workload(api.namespace(), api.kind(), "legacy",
        java.util.Map.of("app", "legacy", "sidecar.istio.io/inject", "false"), api.containers(), "client", false, 1,
        java.util.List.of(), api.origin());
    assertNull(d.request(new Peer.WorkloadPeer(plain), api, 8080, RequestAttributes.NONE).principal().value());
    assertEquals(Verdict.ALLOWED, d.authz(new Peer.WorkloadPeer(plain), api, Protocol.TCP, 8080,
        RequestAttributes.NONE, false).verdict(), "no principal, so the DENY on the client principal does not match");
  }

  @Test
  void graphQuery_overAnL4AllowedSet_groupsPortsByDecision_andDropsWhatAuthorizationDenies() {
    LayeredDecider d = decider(AuthzYaml.onApp("shop", "api", "api-get", """
        rules:
        - to: [{operation: {methods: [GET]}}]
        - to: [{operation: {ports: ["9090"]}}]
        """));
    Peer client = workload(d, "client");
    var api = ((Peer.WorkloadPeer) workload(d, "api")).workload();
    var l4 = io.meshwarden.connectivity.ConnectionSet.ALL;
    var byPort = d.authzByPort(client, api, l4, false);
    java.util.Map<String, Verdict> seen = new java.util.TreeMap<>();
    byPort.forEach(p -> seen.put(p.ports().toString(), p.decision().verdict()));
    assertEquals(java.util.Map.of("TCP 8080", Verdict.DEPENDS, "TCP 5432", Verdict.DENIED, "TCP 9090", Verdict.ALLOWED,
        "TCP 1-5431,5433-8079,8081-9089,9091-65535", Verdict.DEPENDS), seen, "the rest: HTTP or TCP is not known");
    var mayAllow = d.authzMayAllow(client, api, l4, false);
    assertTrue(!mayAllow.contains(Protocol.TCP, 5432) && mayAllow.contains(Protocol.TCP, 8080)
        && mayAllow.contains(Protocol.UDP, 5432), mayAllow.toString());
    LayeredDecider closed = decider(DENY_CLIENT.replace("principals: [\"cluster.local/ns/shop/sa/client\"]",
        "namespaces: [\"shop\"]"));
    var none = closed.authzMayAllow(client, ((Peer.WorkloadPeer) workload(closed, "api")).workload(), l4, false);
    assertEquals(0, none.ranges(Protocol.TCP).length, none.toString());
  }
}
