package io.meshwarden.authz;

import static io.meshwarden.authz.IstioReference.evaluate;
import static io.meshwarden.authz.IstioReference.sa;
import static io.meshwarden.authz.Verdict.ALLOWED;
import static io.meshwarden.authz.Verdict.DENIED;
import static io.meshwarden.authz.Verdict.DEPENDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.authz.IstioReference.Evaluation;
import io.meshwarden.model.IpRange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every Source, Operation and Condition field against the reference's definition of it
 * (authorization_policy.proto and the conditions page), and what the evaluator does with what it
 * cannot know or does not understand.
 */
class AuthorizationPolicyFieldsTest {
  private static String allow(String rule) {
    return """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: p, namespace: foo}
        spec:
          selector: {matchLabels: {app: httpbin}}
          rules:
        %s""".formatted(rule.indent(2));
  }

  private static String deny(String rule) {
    return allow(rule).replace("spec:\n", "spec:\n  action: DENY\n");
  }

  private static List<IpRange> ip(String... cidrs) {
    return java.util.Arrays.stream(cidrs).map(c -> IpRange.parseCidr(c.contains("/") ? c : c + "/32")).toList();
  }

  /** The fail-open bug: a source with only serviceAccounts used to match every request. */
  @Test
  void serviceAccountsOnly_allowsOnlyThoseAccounts_shortFormMeansThePolicyNamespace() {
    Evaluation e = evaluate(allow("- from: [{source: {serviceAccounts: [\"default/sleep\", \"httpbin-client\"]}}]"));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("default", "sleep"))));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("default", "other"))));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("prod", "sleep"))));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/")), "plaintext");
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("foo", "httpbin-client"))));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal("other.td/ns/foo/sa/httpbin-client")),
        "serviceAccounts ignore the trust domain");
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("foo", "httpbin-client-2"))),
        "no prefix match");
  }

  @Test
  void notServiceAccounts_excludes_andWildcardsOrMixingWithPrincipalsFailClosed() {
    Evaluation e = evaluate(allow("- from: [{source: {notServiceAccounts: [\"default/sleep\"]}}]"));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("default", "sleep"))));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("default", "other"))));
    Evaluation wildcard = evaluate(allow("- from: [{source: {serviceAccounts: [\"default/*\"]}}]"));
    assertEquals(DENIED, wildcard.verdict(wildcard.http("foo", "httpbin", 80, "GET", "/").principal(sa("default", "x"))));
    Evaluation mixed = evaluate(allow(
        "- from: [{source: {serviceAccounts: [\"default/sleep\"], namespaces: [\"default\"]}}]"));
    assertEquals(DENIED, mixed.verdict(mixed.http("foo", "httpbin", 80, "GET", "/").principal(sa("default", "sleep"))));
    assertTrue(mixed.diagnostics().get(0).contains("cannot be set with principals or namespaces"),
        mixed.diagnostics().toString());
  }

  @Test
  void trustDomains_matchThePeersTrustDomain_anAliasStandsForAllOfOurs() {
    TrustDomains td = new TrustDomains("td-new", List.of("td-old"));
    Evaluation e = evaluate(allow("- from: [{source: {trustDomains: [\"td-old\"]}}]"), td);
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal("td-new/ns/a/sa/b")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal("partner/ns/a/sa/b")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/")), "plaintext has no trust domain");
    Evaluation not = evaluate(allow("- from: [{source: {notTrustDomains: [\"partner*\"]}}]"), td);
    assertEquals(DENIED, not.verdict(not.http("foo", "httpbin", 80, "GET", "/").principal("partner.io/ns/a/sa/b")));
    assertEquals(ALLOWED, not.verdict(not.http("foo", "httpbin", 80, "GET", "/").principal("td-new/ns/a/sa/b")));
  }

  @Test
  void clusterLocalInAPrincipal_meansTheLocalTrustDomainAndItsAliases() {
    String policy = allow("- from: [{source: {principals: [\"cluster.local/ns/default/sa/sleep\"]}}]");
    Evaluation e = evaluate(policy, new TrustDomains("td-new", List.of("td-old")));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal("td-new/ns/default/sa/sleep")));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal("td-old/ns/default/sa/sleep")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal("partner/ns/default/sa/sleep")));
    Evaluation alias = evaluate(allow("- from: [{source: {principals: [\"td-old/ns/default/sa/sleep\"]}}]"),
        new TrustDomains("td-new", List.of("td-old")));
    assertEquals(ALLOWED, alias.verdict(alias.http("foo", "httpbin", 80, "GET", "/")
        .principal("td-new/ns/default/sa/sleep")), "an alias in a policy stands for our trust domain too");
    Evaluation foreign = evaluate(allow("- from: [{source: {notPrincipals: [\"cluster.local/ns/default/sa/sleep\"]}}]"),
        new TrustDomains("td-new", List.of()));
    assertEquals(DENIED, foreign.verdict(foreign.http("foo", "httpbin", 80, "GET", "/")
        .principal("td-new/ns/default/sa/sleep")), "notPrincipals are rewritten the same way");
  }

  @Test
  void namespaces_comeFromThePeerIdentity_withWildcards() {
    Evaluation e = evaluate(allow("- from: [{source: {namespaces: [\"team-*\"], notNamespaces: [\"team-x\"]}}]"));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("team-a", "s"))));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("team-x", "s"))));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("prod", "s"))));
    assertEquals(DEPENDS, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(AuthzRequest.Attr.UNKNOWN)));
  }

  @Test
  void ipBlocks_andRemoteIpBlocks_singleAddressesAndCidrs() {
    Evaluation e = evaluate(allow("""
        - from: [{source: {ipBlocks: ["10.0.0.0/8"], notIpBlocks: ["10.6.6.6"]}}]
        - from: [{source: {remoteIpBlocks: ["198.51.100.0/24"]}}]
        """));
    assertEquals(ALLOWED, e.verdict(e.tcp("foo", "httpbin", 80).sourceIps(ip("10.1.2.3"))));
    assertEquals(DENIED, e.verdict(e.tcp("foo", "httpbin", 80).sourceIps(ip("10.6.6.6"))));
    assertEquals(DENIED, e.verdict(e.tcp("foo", "httpbin", 80).sourceIps(ip("192.168.1.1"))));
    assertEquals(ALLOWED, e.verdict(e.tcp("foo", "httpbin", 80).sourceIps(ip("192.168.1.1"))
        .remoteIps(ip("198.51.100.7"))), "the original client, as X-Forwarded-For says");
    assertEquals(DEPENDS, e.verdict(e.tcp("foo", "httpbin", 80).sourceIps(ip("10.6.0.0/16"))),
        "a range partly excluded");
    AuthzDecision unknown = e.decide(e.tcp("foo", "httpbin", 80).sourceIps(List.of()));
    assertEquals(DEPENDS, unknown.verdict());
    assertEquals(List.of("remote.ip", "source.ip"), unknown.dependsOn());
  }

  @Test
  void requestPrincipals_comeFromJwts_soTheyAlwaysDepend_andAreHttpOnly() {
    Evaluation e = evaluate(allow("- from: [{source: {requestPrincipals: [\"*\"]}}]"));
    AuthzDecision d = e.decide(e.http("foo", "httpbin", 80, "GET", "/"));
    assertEquals(DEPENDS, d.verdict());
    assertEquals(List.of("request.auth.principal"), d.dependsOn());
    assertEquals(DENIED, e.verdict(e.tcp("foo", "httpbin", 80)), "an ALLOW rule with HTTP-only fields matches no TCP");
    Evaluation requireJwt = evaluate(deny("- from: [{source: {notRequestPrincipals: [\"*\"]}}]"));
    assertEquals(DEPENDS, requireJwt.verdict(requireJwt.http("foo", "httpbin", 80, "GET", "/")));
    assertEquals(DENIED, requireJwt.verdict(requireJwt.tcp("foo", "httpbin", 80)),
        "a DENY rule with HTTP-only fields denies all TCP");
  }

  @Test
  void hostsAndNotHosts_portsAndNotPorts() {
    Evaluation e = evaluate(allow("""
        - to: [{operation: {hosts: ["api.example.com"], notPorts: ["9000"]}}]
        - to: [{operation: {notHosts: ["*.internal"], ports: ["8443"]}}]
        """));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").host("API.example.com")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 9000, "GET", "/").host("api.example.com")));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 8443, "GET", "/").host("www.example.com")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 8443, "GET", "/").host("db.internal")));
    Evaluation badPort = evaluate(allow("- to: [{operation: {ports: [\"http\", \"80\"]}}]"));
    assertEquals(DENIED, badPort.verdict(badPort.tcp("foo", "httpbin", 80)),
        "Istio drops an ALLOW rule with a value it cannot translate");
  }

  @Test
  void whenConditions_onHeadersAndConnectionAttributes() {
    Evaluation e = evaluate(allow("""
        - when:
          - {key: "request.headers[X-Token]", values: ["abc*"]}
          - {key: "request.headers[X-Debug]", notValues: ["*"]}
        - when:
          - {key: source.ip, values: ["10.1.0.0/16"]}
          - {key: destination.port, values: ["5432"]}
          - {key: source.namespace, values: ["db-clients"]}
        - when:
          - {key: source.principal, values: ["cluster.local/ns/ops/sa/admin"]}
          - {key: connection.sni, values: ["*.svc.cluster.local"]}
          - {key: destination.ip, notValues: ["10.99.0.0/16"]}
        """));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/")
        .headers(Map.of("x-token", "abcdef"), true)));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/")
        .headers(Map.of("x-token", "abcdef", "x-debug", "1"), true)));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").headers(Map.of("x-token", "zzz"), true)));
    AuthzDecision unknownHeaders = e.decide(e.http("foo", "httpbin", 80, "GET", "/")
        .headers(Map.of("x-token", "abc"), false));
    assertEquals(DEPENDS, unknownHeaders.verdict());
    assertEquals(List.of("request.headers[X-Debug]"), unknownHeaders.dependsOn());
    assertEquals(ALLOWED, e.verdict(e.tcp("foo", "httpbin", 5432).sourceIps(ip("10.1.2.3"))
        .principal(sa("db-clients", "app"))));
    assertEquals(DENIED, e.verdict(e.tcp("foo", "httpbin", 5432).sourceIps(ip("10.1.2.3"))
        .principal(sa("web", "app"))));
    var admin = e.tcp("foo", "httpbin", 22).principal(sa("ops", "admin"))
        .sni(AuthzRequest.Attr.of("outbound_.22_._.httpbin.foo.svc.cluster.local")).destinationIps(ip("10.2.0.5"));
    assertEquals(ALLOWED, e.verdict(admin));
    assertEquals(DENIED, e.verdict(admin.destinationIps(ip("10.99.1.1"))));
    assertEquals(DEPENDS, e.verdict(admin.destinationIps(List.of()).sni(AuthzRequest.Attr.UNKNOWN)));
  }

  @Test
  void jwtConditions_andExperimentalMetadata_dependOnWhatOnlyTheRequestCarries() {
    Evaluation e = evaluate(allow("""
        - when:
          - {key: "request.auth.claims[groups]", values: ["admins"]}
          - {key: request.auth.audiences, values: ["api"]}
          - {key: request.auth.presenter, values: ["cli"]}
          - {key: request.auth.principal, values: ["issuer/sub"]}
          - {key: "experimental.envoy.filters.network.mysql_proxy[db.table]", values: ["[update]"]}
        """));
    AuthzDecision d = e.decide(e.http("foo", "httpbin", 80, "GET", "/"));
    assertEquals(DEPENDS, d.verdict());
    assertEquals(List.of("experimental.envoy.filters.network.mysql_proxy[db.table]", "request.auth.audiences",
        "request.auth.claims[groups]", "request.auth.presenter", "request.auth.principal"), d.dependsOn());
  }

  @Test
  void unknownKey_failsClosed_allowMatchesNothing_denyMatchesEverything_withAWarningAtItsLine() {
    // "principal" is a typo of "principals": ignoring it would let everyone in.
    Evaluation e = evaluate(allow("- from: [{source: {principal: [\"cluster.local/ns/default/sa/sleep\"]}}]"));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("default", "sleep"))));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("evil", "x"))));
    String w = e.diagnostics().get(0);
    assertTrue(w.startsWith("policy.yaml:" + (IstioReference.policyLine() + 6) + ": warning AUTHZ001:"), w);
    assertTrue(w.contains("unknown key \"principal\" in source"), w);
    Evaluation d = evaluate(deny("- from: [{source: {principal: [\"cluster.local/ns/default/sa/sleep\"]}}]"));
    AuthzDecision x = d.decide(d.http("foo", "httpbin", 80, "GET", "/").principal(sa("anyone", "x")));
    assertEquals(DENIED, x.verdict());
    assertTrue(x.reason().contains("fails closed"), x.reason());
    Evaluation when = evaluate(allow("- when: [{key: source.labels, values: [\"x\"]}]"));
    assertEquals(DENIED, when.verdict(when.tcp("foo", "httpbin", 80)));
    assertTrue(when.diagnostics().get(0).contains("unknown condition key \"source.labels\""), when.diagnostics().get(0));
    Evaluation spec = evaluate(allow("- {}").replace("spec:\n", "spec:\n  priority: 1\n"));
    assertEquals(DENIED, spec.verdict(spec.tcp("foo", "httpbin", 80)), "an unknown spec key closes every ALLOW rule");
  }

  @Test
  void unknownProtocol_isEvaluatedAsTcpAndAsHttp() {
    Evaluation e = evaluate(allow("- to: [{operation: {methods: [\"GET\"]}}]"));
    AuthzDecision d = e.evaluator().decide(AuthzRequest.to(e.workload("foo", "httpbin"), 80)
        .protocol(AuthzRequest.AppProtocol.UNKNOWN).method("GET").principal((String) null).build(), false);
    assertEquals(DEPENDS, d.verdict());
    assertTrue(d.dependsOn().contains("application protocol (HTTP or TCP)"), d.dependsOn().toString());
  }

  @Test
  void observedPathTemplates_decideWhenTheIdCannotMatter() {
    Evaluation e = evaluate(allow("- to: [{operation: {paths: [\"/users/*\", \"/orders/{*}/items\"]}}]"));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/users/{id}")));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/orders/{id}/items")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/carts/{id}")));
    Evaluation exact = evaluate(allow("- to: [{operation: {paths: [\"/users/0\"]}}]"));
    assertEquals(DEPENDS, exact.verdict(exact.http("foo", "httpbin", 80, "GET", "/users/{id}")));
  }

  @Test
  void hostileValues_areLiteral_andMalformedStructureFailsClosed() {
    Evaluation e = evaluate(allow("- from: [{source: {namespaces: [\"[x*\"]}}, {source: {serviceAccounts: [\"a(b/c\"]}}]"));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("[xy", "s"))));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("a(b", "c"))));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("ab", "c"))));
    Evaluation rulesMap = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: p, namespace: foo}
        spec:
          action: DENY
          rules: {to: [{operation: {ports: ["1"]}}]}
        """);
    assertEquals(DENIED, rulesMap.verdict(rulesMap.tcp("foo", "httpbin", 80)));
    assertTrue(rulesMap.diagnostics().get(0).contains("rules is not a list"), rulesMap.diagnostics().toString());
  }
}
