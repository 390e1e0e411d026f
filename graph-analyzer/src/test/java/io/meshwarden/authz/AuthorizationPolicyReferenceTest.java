package io.meshwarden.authz;

import static io.meshwarden.authz.IstioReference.evaluate;
import static io.meshwarden.authz.IstioReference.sa;
import static io.meshwarden.authz.Verdict.ALLOWED;
import static io.meshwarden.authz.Verdict.DENIED;
import static io.meshwarden.authz.Verdict.DEPENDS;
import static io.meshwarden.authz.Verdict.NOT_EVALUABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.authz.IstioReference.Evaluation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each example of Istio's AuthorizationPolicy reference page
 * (istio.io/latest/docs/reference/config/security/authorization-policy/, the text of
 * istio/api security/v1beta1/authorization_policy.proto) with the effect the page states, in page
 * order.
 */
class AuthorizationPolicyReferenceTest {
  /** "It allows requests from service account sleep or namespace test to GET /info* or POST /data when iss is Google." */
  private static final String HTTPBIN_ALLOW = """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata:
        name: httpbin
        namespace: foo
      spec:
        action: ALLOW
        rules:
        - from:
          - source:
              principals: ["cluster.local/ns/default/sa/sleep"]
          - source:
              namespaces: ["test"]
          to:
          - operation:
              methods: ["GET"]
              paths: ["/info*"]
          - operation:
              methods: ["POST"]
              paths: ["/data"]
          when:
          - key: request.auth.claims[iss]
            values: ["https://accounts.google.com"]
      """;

  @Test
  void allowExample_matchingSourceAndOperation_dependsOnTheJwtIssuer_andAnythingElseIsDenied() {
    Evaluation e = evaluate(HTTPBIN_ALLOW);
    AuthzDecision info = e.decide(e.http("foo", "httpbin", 80, "GET", "/info/x").principal(sa("default", "sleep")));
    assertEquals(DEPENDS, info.verdict(), info.toString());
    assertEquals(List.of("request.auth.claims[iss]"), info.dependsOn());
    assertEquals(DEPENDS, e.verdict(e.http("foo", "httpbin", 80, "POST", "/data").principal(sa("test", "any"))));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "POST", "/data/x").principal(sa("test", "any"))),
        "/data is an exact path");
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "DELETE", "/info").principal(sa("default", "sleep"))));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/info").principal(sa("prod", "sleep"))));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/info")), "plaintext has no principal");
    assertEquals(ALLOWED, e.verdict(e.http("bar", "httpbin", 80, "DELETE", "/")), "the policy is in foo");
  }

  @Test
  void denyExample_postFromDev_isDenied_otherMethodsAndNamespacesAreNot() {
    Evaluation e = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: httpbin
          namespace: foo
        spec:
          action: DENY
          rules:
          - from:
            - source:
                namespaces: ["dev"]
            to:
            - operation:
                methods: ["POST"]
        """);
    AuthzDecision post = e.decide(e.http("foo", "other", 80, "POST", "/").principal(sa("dev", "x")));
    assertEquals(DENIED, post.verdict());
    assertEquals("AuthorizationPolicy foo/httpbin", post.policy());
    assertEquals(1, post.rule());
    assertEquals(ALLOWED, e.verdict(e.http("foo", "other", 80, "GET", "/").principal(sa("dev", "x"))));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "other", 80, "POST", "/").principal(sa("prod", "x"))));
    assertEquals(DEPENDS, e.verdict(e.http("foo", "other", 80, null, "/").principal(sa("dev", "x"))),
        "an unknown method is evaluated both ways");
  }

  /** "When this rule is applied to TCP traffic ... all TCP traffic on port 8080 would be denied." */
  @Test
  void denyExample_postOnPort8080_deniesAllTcpOn8080_becauseHttpOnlyFieldsMatchTcpInDeny() {
    Evaluation e = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: httpbin
          namespace: foo
        spec:
          action: DENY
          rules:
          - to:
            - operation:
                methods: ["POST"]
                ports: ["8080"]
        """);
    assertEquals(DENIED, e.verdict(e.tcp("foo", "httpbin", 8080)));
    assertEquals(ALLOWED, e.verdict(e.tcp("foo", "httpbin", 9090)));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 8080, "POST", "/")));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 8080, "GET", "/")));
    Evaluation noPort = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: httpbin, namespace: foo}
        spec:
          action: DENY
          rules: [{to: [{operation: {methods: ["POST"]}}]}]
        """);
    assertEquals(DENIED, noPort.verdict(noPort.tcp("foo", "httpbin", 9090)),
        "without the port match all TCP traffic would be denied");
  }

  @Test
  void auditExample_changesNoDecision() {
    Evaluation e = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          namespace: foo
          name: anyname
        spec:
          selector:
            matchLabels:
              app: httpbin
          action: AUDIT
          rules:
          - to:
            - operation:
                methods: ["GET"]
                paths: ["/user/profile/*"]
        """);
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/user/profile/1")));
    assertTrue(e.diagnostics().get(0).contains(AuthzDiagnostic.AUDIT_ACTION), e.diagnostics().toString());
  }

  @Test
  void allowNothingExample_namespaceWide_deniesEveryRequestInFoo() {
    Evaluation e = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
         name: allow-nothing
         namespace: foo
        spec:
          {}
        """);
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/").principal(sa("foo", "x"))));
    assertEquals(DENIED, e.verdict(e.tcp("foo", "other", 5432)));
    assertEquals(ALLOWED, e.verdict(e.tcp("bar", "other", 5432)));
  }

  @Test
  void allowAllExample_allowsEveryRequestInFoo() {
    Evaluation e = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
         name: allow-all
         namespace: foo
        spec:
         rules:
         - {}
        """);
    AuthzDecision d = e.decide(e.tcp("foo", "other", 5432));
    assertEquals(ALLOWED, d.verdict());
    assertEquals("AuthorizationPolicy foo/allow-all", d.policy());
  }

  @Test
  void allowNothingExample_withSelector_deniesOnlyTheSelectedWorkloads() {
    Evaluation e = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: allow-nothing
          namespace: bar
        spec:
          selector:
            matchLabels:
              app: httpbin
        """);
    assertEquals(DENIED, e.verdict(e.tcp("bar", "httpbin", 80)));
    assertEquals(ALLOWED, e.verdict(e.tcp("bar", "other", 80)));
    assertEquals(ALLOWED, e.verdict(e.tcp("foo", "httpbin", 80)), "other namespaces are not touched");
  }

  @Test
  void allowNothingExample_inTheRootNamespace_appliesToMatchingWorkloadsOfEveryNamespace() {
    Evaluation e = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
         name: allow-nothing
         namespace: istio-system
        spec:
         selector:
           matchLabels:
             version: v1
        """);
    assertEquals(DENIED, e.verdict(e.tcp("foo", "httpbin", 80)));
    assertEquals(DENIED, e.verdict(e.tcp("bar", "other", 80)));
    assertEquals(ALLOWED, e.verdict(e.tcp("bar", "httpbin", 80)), "no version: v1 label");
  }

  @Test
  void dryRunExample_isNotEnforced_butCountsWhenAskedFor() {
    Evaluation e = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: dry-run-example
          namespace: foo
          annotations:
            "istio.io/dry-run": "true"
        spec:
          selector:
            matchLabels:
              app: httpbin
          action: DENY
          rules:
          - to:
            - operation:
                paths: ["/headers"]
        """);
    AuthzRequest headers = e.http("foo", "httpbin", 80, "GET", "/headers").build();
    assertEquals(ALLOWED, e.evaluator().decide(headers, false).verdict());
    assertEquals(DENIED, e.evaluator().decide(headers, true).verdict());
  }

  /** The CUSTOM example: requests under /admin/ go to the external authorizer. */
  @Test
  void customExample_matchingRequestsAreNotEvaluable_othersFollowAllowAndDeny() {
    Evaluation e = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: ext-authz
          namespace: foo
        spec:
          selector:
            matchLabels:
              app: httpbin
          action: CUSTOM
          provider:
            name: "my-custom-authz"
          rules:
          - to:
            - operation:
                paths: ["/admin/*"]
        """);
    AuthzDecision admin = e.decide(e.http("foo", "httpbin", 80, "GET", "/admin/users"));
    assertEquals(NOT_EVALUABLE, admin.verdict());
    assertTrue(admin.reason().contains("my-custom-authz"), admin.reason());
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/public")));
    assertEquals(NOT_EVALUABLE, e.verdict(e.http("foo", "httpbin", 80, "GET", null)),
        "an unknown path may go to the authorizer: never reported as allowed");
  }

  /** "The following source matches if the principal is admin or dev and the namespace is prod or test and the ip is not 203.0.113.4." */
  @Test
  void sourceFields_areAndedTogether_valuesOfOneFieldOred() {
    Evaluation e = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: src, namespace: foo}
        spec:
          rules:
          - from:
            - source:
                principals: ["*/sa/admin", "*/sa/dev"]
                namespaces: ["prod", "test"]
                notIpBlocks: ["203.0.113.4"]
        """);
    var ok = e.http("foo", "httpbin", 80, "GET", "/").principal(sa("prod", "admin"))
        .sourceIps(List.of(io.meshwarden.model.IpRange.parseCidr("10.1.1.1/32")));
    assertEquals(ALLOWED, e.verdict(ok));
    assertEquals(DENIED, e.verdict(ok.principal(sa("staging", "admin"))), "namespace not listed");
    assertEquals(DENIED, e.verdict(ok.principal(sa("test", "ops"))), "principal not listed");
    assertEquals(DENIED, e.verdict(ok.principal(sa("test", "dev"))
        .sourceIps(List.of(io.meshwarden.model.IpRange.parseCidr("203.0.113.4/32")))), "the excluded ip");
  }

  /** "The following operation matches if the host has suffix .example.com and the method is GET or HEAD and the path doesn't have prefix /admin." */
  @Test
  void operationFields_areAndedTogether_hostsCaseInsensitive() {
    Evaluation e = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: op, namespace: foo}
        spec:
          rules:
          - to:
            - operation:
                hosts: ["*.example.com"]
                methods: ["GET", "HEAD"]
                notPaths: ["/admin*"]
        """);
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "HEAD", "/x").host("API.Example.COM")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/x").host("example.com")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/admin/x").host("a.example.com")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "POST", "/x").host("a.example.com")));
    assertEquals(DEPENDS, e.verdict(e.http("foo", "httpbin", 80, "GET", "/x").host(null)));
  }

  /** "Any string field in the rule supports Exact, Prefix, Suffix and Presence match." */
  @Test
  void stringMatching_exactPrefixSuffixAndPresence() {
    Evaluation e = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: str, namespace: foo}
        spec:
          selector: {matchLabels: {app: httpbin}}
          rules:
          - to: [{operation: {methods: ["G*"], paths: ["*.json"]}}]
          - to: [{operation: {methods: ["DELETE"], paths: ["*"]}}]
        """);
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/a/b.json")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/a/b.jsonx")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "PUT", "/a.json")));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "DELETE", "/anything")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "DELETE", "")), "presence needs a value");
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "get", "/a.json")), "methods are case-sensitive");
  }

  /** The path template examples of Operation.paths. */
  @Test
  void pathTemplates_singleAndMultiSegment() {
    Evaluation e = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: tpl, namespace: foo}
        spec:
          selector: {matchLabels: {app: httpbin}}
          rules:
          - to: [{operation: {paths: ["/foo/{*}"]}}]
          - to: [{operation: {paths: ["/bar/{**}/"]}}]
          - to: [{operation: {paths: ["/baz/{*}/bar/{**}"]}}]
        """);
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/foo/bar")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/foo/bar/baz")));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/bar/x/")));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/bar/x/y/")));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/bar//")));
    assertEquals(DENIED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/bar/x")));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/baz/buzz/bar/")));
    assertEquals(ALLOWED, e.verdict(e.http("foo", "httpbin", 80, "GET", "/baz/buzz/bar/baz")));
  }

  /** Templates Istio rejects (a star outside an operator, {**} not last, text beside {*}): the ALLOW rule is dropped. */
  @Test
  void invalidPathTemplates_dropTheAllowRule_andOnlyTheValueOfADenyRule() {
    for (String bad : List.of("/*/baz/{*}", "/{**}/foo/{*}", "/foo/{*}.txt")) {
      Evaluation allow = evaluate("""
          apiVersion: security.istio.io/v1
          kind: AuthorizationPolicy
          metadata: {name: tpl, namespace: foo}
          spec:
            rules: [{to: [{operation: {paths: ["%s", "/ok"]}}]}]
          """.formatted(bad));
      assertEquals(DENIED, allow.verdict(allow.http("foo", "httpbin", 80, "GET", "/ok")), bad);
      assertTrue(allow.diagnostics().stream().anyMatch(d -> d.contains(AuthzDiagnostic.INVALID_VALUE)), bad);
    }
    Evaluation deny = evaluate("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: tpl, namespace: foo}
        spec:
          action: DENY
          rules: [{to: [{operation: {paths: ["/foo/{*}.txt", "/secret"]}}]}]
        """);
    assertEquals(DENIED, deny.verdict(deny.http("foo", "httpbin", 80, "GET", "/secret")));
    assertEquals(ALLOWED, deny.verdict(deny.http("foo", "httpbin", 80, "GET", "/foo/a.txt")),
        "the invalid value is dropped; the valid one still decides");
  }
}
