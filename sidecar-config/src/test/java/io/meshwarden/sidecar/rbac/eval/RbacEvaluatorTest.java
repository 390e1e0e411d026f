package io.meshwarden.sidecar.rbac.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import org.junit.jupiter.api.Test;

class RbacEvaluatorTest {
  static final Principal ANY_ID = Principal.newBuilder().setAny(true).build();
  static final Permission ANY_PERM = Permission.newBuilder().setAny(true).build();

  static RbacEvaluator allow(Permission perm, Principal id) {
    return RbacEvaluator.of(RBAC.newBuilder().setAction(RBAC.Action.ALLOW)
        .putPolicies("p", Policy.newBuilder().addPermissions(perm).addPrincipals(id).build()).build());
  }

  static Request.Builder req() {
    return Request.builder().sourceIp("10.0.0.1").destinationPort(8080).method("GET").path("/a/b?x=1");
  }

  static Permission header(HeaderMatcher.Builder h) {
    return Permission.newBuilder().setHeader(h).build();
  }

  static StringMatcher exact(String s) {
    return StringMatcher.newBuilder().setExact(s).build();
  }

  @Test
  void allow_noPolicyMatches_deniesWithoutPolicyName() {
    Decision d = allow(Permission.newBuilder().setDestinationPort(9090).build(), ANY_ID).decide(req().build());
    assertFalse(d.allowed());
    assertNull(d.matchedPolicy());
  }

  @Test
  void policies_firstMatchInNameOrderIsNamed() {
    RBAC rbac = RBAC.newBuilder().setAction(RBAC.Action.DENY)
        .putPolicies("b", Policy.newBuilder().addPermissions(ANY_PERM).addPrincipals(ANY_ID).build())
        .putPolicies("a", Policy.newBuilder().addPermissions(ANY_PERM).addPrincipals(ANY_ID).build())
        .putPolicies("c", Policy.newBuilder().addPermissions(ANY_PERM).addPrincipals(
            Principal.newBuilder().setAny(false)).build())
        .build();
    Decision d = RbacEvaluator.of(rbac).decide(req().build());
    assertFalse(d.allowed());
    assertEquals("a", d.matchedPolicy());
    assertTrue(RbacEvaluator.of(rbac.toBuilder().clearPolicies().build()).decide(req().build()).allowed());
    assertTrue(RbacEvaluator.of(rbac.toBuilder().setAction(RBAC.Action.LOG).build()).decide(req().build()).allowed());
  }

  @Test
  void andOrNot_nestAsEnvoyDoes() {
    Permission port = Permission.newBuilder().setDestinationPort(8080).build();
    Permission other = Permission.newBuilder().setDestinationPort(1).build();
    Permission and = Permission.newBuilder().setAndRules(Permission.Set.newBuilder().addRules(port).addRules(other)).build();
    Permission or = Permission.newBuilder().setOrRules(Permission.Set.newBuilder().addRules(port).addRules(other)).build();
    Permission not = Permission.newBuilder().setNotRule(other).build();
    Permission emptyAnd = Permission.newBuilder().setAndRules(Permission.Set.getDefaultInstance()).build();
    Permission emptyOr = Permission.newBuilder().setOrRules(Permission.Set.getDefaultInstance()).build();
    assertFalse(allow(and, ANY_ID).decide(req().build()).allowed());
    assertTrue(allow(or, ANY_ID).decide(req().build()).allowed());
    assertTrue(allow(not, ANY_ID).decide(req().build()).allowed());
    assertTrue(allow(emptyAnd, ANY_ID).decide(req().build()).allowed());
    assertFalse(allow(emptyOr, ANY_ID).decide(req().build()).allowed());
    Principal notId = Principal.newBuilder().setNotId(ANY_ID).build();
    assertFalse(allow(ANY_PERM, notId).decide(req().build()).allowed());
  }

  @Test
  void headerMatcher_kinds() {
    Request r = req().header("x-team", "payments-eu").build();
    assertTrue(allow(header(HeaderMatcher.newBuilder().setName("x-team").setStringMatch(exact("payments-eu"))), ANY_ID)
        .decide(r).allowed());
    assertTrue(allow(header(HeaderMatcher.newBuilder().setName("X-Team").setPrefixMatch("pay")), ANY_ID).decide(r).allowed());
    assertTrue(allow(header(HeaderMatcher.newBuilder().setName("x-team").setSuffixMatch("-eu")), ANY_ID).decide(r).allowed());
    assertTrue(allow(header(HeaderMatcher.newBuilder().setName("x-team").setContainsMatch("ment")), ANY_ID).decide(r).allowed());
    assertTrue(allow(header(HeaderMatcher.newBuilder().setName("x-team").setSafeRegexMatch(
        RegexMatcher.newBuilder().setRegex("pay.*-(eu|us)"))), ANY_ID).decide(r).allowed());
    assertFalse(allow(header(HeaderMatcher.newBuilder().setName("x-team").setSafeRegexMatch(
        RegexMatcher.newBuilder().setRegex("pay"))), ANY_ID).decide(r).allowed(), "regex is a full match");
    assertTrue(allow(header(HeaderMatcher.newBuilder().setName("x-team").setStringMatch(
        StringMatcher.newBuilder().setExact("PAYMENTS-EU").setIgnoreCase(true))), ANY_ID).decide(r).allowed());
    assertTrue(allow(header(HeaderMatcher.newBuilder().setName(":method").setStringMatch(exact("GET"))), ANY_ID)
        .decide(r).allowed());
  }

  @Test
  void headerMatcher_absentHeaderAndInversion() {
    Request r = req().build();
    HeaderMatcher.Builder exactMissing = HeaderMatcher.newBuilder().setName("x-missing").setStringMatch(exact("v"));
    assertFalse(allow(header(exactMissing), ANY_ID).decide(r).allowed());
    assertFalse(allow(header(exactMissing.clone().setInvertMatch(true)), ANY_ID).decide(r).allowed(),
        "an absent header fails a value match even inverted");
    assertFalse(allow(header(HeaderMatcher.newBuilder().setName("x-missing").setPresentMatch(true)), ANY_ID)
        .decide(r).allowed());
    assertTrue(allow(header(HeaderMatcher.newBuilder().setName("x-missing").setPresentMatch(true).setInvertMatch(true)),
        ANY_ID).decide(r).allowed());
    assertTrue(allow(header(HeaderMatcher.newBuilder().setName(":path").setPresentMatch(true)), ANY_ID)
        .decide(r).allowed());
  }

  @Test
  void urlPath_ignoresQuery_pathHeaderDoesNot() {
    Permission path = Permission.newBuilder().setUrlPath(PathMatcher.newBuilder().setPath(exact("/a/b"))).build();
    assertTrue(allow(path, ANY_ID).decide(req().build()).allowed());
    assertFalse(allow(header(HeaderMatcher.newBuilder().setName(":path").setStringMatch(exact("/a/b"))), ANY_ID)
        .decide(req().build()).allowed());
  }

  @Test
  void principals_authenticatedAndCidrs() {
    Principal spiffe = Principal.newBuilder().setAuthenticated(Principal.Authenticated.newBuilder()
        .setPrincipalName(exact("spiffe://cluster.local/ns/a/sa/b"))).build();
    assertTrue(allow(ANY_PERM, spiffe).decide(req().principal("spiffe://cluster.local/ns/a/sa/b").build()).allowed());
    assertFalse(allow(ANY_PERM, spiffe).decide(req().principal("spiffe://cluster.local/ns/a/sa/c").build()).allowed());
    assertFalse(allow(ANY_PERM, spiffe).decide(req().build()).allowed());
    Principal anyAuthenticated = Principal.newBuilder().setAuthenticated(Principal.Authenticated.getDefaultInstance()).build();
    assertTrue(allow(ANY_PERM, anyAuthenticated).decide(req().principal("x").build()).allowed());
    assertFalse(allow(ANY_PERM, anyAuthenticated).decide(req().build()).allowed());

    Principal v4 = Principal.newBuilder().setDirectRemoteIp(cidr("10.0.0.0", 8)).build();
    assertTrue(allow(ANY_PERM, v4).decide(req().build()).allowed());
    assertFalse(allow(ANY_PERM, v4).decide(req().sourceIp("11.0.0.1").build()).allowed());
    Principal remote = Principal.newBuilder().setRemoteIp(cidr("203.0.113.0", 24)).build();
    assertTrue(allow(ANY_PERM, remote).decide(req().remoteIp("203.0.113.77").build()).allowed());
    assertFalse(allow(ANY_PERM, remote).decide(req().build()).allowed(), "remote_ip defaults to the source");
    Principal v6 = Principal.newBuilder().setDirectRemoteIp(cidr("2001:db8::", 32)).build();
    assertTrue(allow(ANY_PERM, v6).decide(req().sourceIp("2001:db8:1::5").build()).allowed());
    assertFalse(allow(ANY_PERM, v6).decide(req().sourceIp("2001:db9::5").build()).allowed());
    assertFalse(allow(ANY_PERM, v6).decide(req().build()).allowed(), "families never match each other");
    Permission dst = Permission.newBuilder().setDestinationIp(cidr("10.8.0.0", 16)).build();
    assertTrue(allow(dst, ANY_ID).decide(req().destinationIp("10.8.1.1").build()).allowed());
  }

  @Test
  void manyExactPrincipals_useOneLookupAndStillMatchOthers() {
    Principal.Set.Builder ids = Principal.Set.newBuilder();
    for (int i = 0; i < 50; i++) {
      ids.addIds(Principal.newBuilder().setAuthenticated(Principal.Authenticated.newBuilder()
          .setPrincipalName(exact("spiffe://td/ns/n/sa/" + i))));
    }
    ids.addIds(Principal.newBuilder().setDirectRemoteIp(cidr("192.168.0.0", 16)));
    Principal or = Principal.newBuilder().setOrIds(ids).build();
    assertTrue(allow(ANY_PERM, or).decide(req().principal("spiffe://td/ns/n/sa/42").build()).allowed());
    assertTrue(allow(ANY_PERM, or).decide(req().sourceIp("192.168.4.4").build()).allowed());
    assertFalse(allow(ANY_PERM, or).decide(req().principal("spiffe://td/ns/n/sa/50").build()).allowed());
  }

  @Test
  void unsupported_neverMatchesAndIsReported() {
    Permission meta = Permission.newBuilder().setMetadata(MetadataMatcher.newBuilder().setFilter("f")).build();
    RbacEvaluator e = allow(meta, ANY_ID);
    assertFalse(e.decide(req().build()).allowed());
    assertEquals(1, e.unsupported().size());
    RbacEvaluator deny = RbacEvaluator.of(RBAC.newBuilder().setAction(RBAC.Action.DENY)
        .putPolicies("p", Policy.newBuilder().addPermissions(meta).addPrincipals(ANY_ID).build()).build());
    assertTrue(deny.decide(req().build()).allowed());
  }

  @Test
  void portRange_isHalfOpen() {
    Permission range = Permission.newBuilder().setDestinationPortRange(
        io.envoyproxy.envoy.type.v3.Int32Range.newBuilder().setStart(8000).setEnd(8080)).build();
    assertFalse(allow(range, ANY_ID).decide(req().build()).allowed());
    assertTrue(allow(range, ANY_ID).decide(req().destinationPort(8079).build()).allowed());
  }

  static CidrRange cidr(String prefix, int len) {
    return CidrRange.newBuilder().setAddressPrefix(prefix).setPrefixLen(UInt32Value.of(len)).build();
  }
}
