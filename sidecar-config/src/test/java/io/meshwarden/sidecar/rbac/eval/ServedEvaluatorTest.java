package io.meshwarden.sidecar.rbac.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.meshwarden.sidecar.Fixtures;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.listener.ServedTranslator;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServedEvaluatorTest {
  static final WorkloadPolicy CART = Fixtures.boutique().forWorkload(Fixtures.CART.id()).orElseThrow();
  static final String FRONTEND = "spiffe://" + Fixtures.FRONTEND.principal();
  static final String AD = "spiffe://" + Fixtures.AD.principal();
  static final String RULE = "ns[default]-workload[cartservice]-port[07070]-rule[0]";

  static Request call(String principal, int port, String path) {
    return Request.builder().principal(principal).sourceIp("10.8.0.10").destinationIp("10.8.0.12")
        .destinationPort(port).method("POST").path(path).build();
  }

  static ServedEvaluator envoy(PolicyLayers layers) {
    return ServedEvaluator.of(ServedTranslator.envoy(CART.workloadId(), layers, TranslatorOptions.DEFAULTS, "als"));
  }

  @Test
  void dryRun_theShadowLayerLivesInRds_andAnObservedCallMatchesItsRule() {
    ServedEvaluator e = envoy(PolicyLayers.dryRun(CART));
    assertEquals(List.of(), e.unsupported());
    Judgement j = e.judge(call(FRONTEND, 7070, "/hipstershop.CartService/GetCart"));
    assertTrue(j.enforced().allowed());
    assertEquals(LayerVerdict.Reason.NO_RBAC, j.enforced().reason());
    assertNotNull(j.shadow(), "the proposal rides in the route's RBACPerRoute: " + j);
    assertTrue(j.shadow().allowed());
    assertEquals(RULE, j.shadow().policy());
    assertEquals(LayerVerdict.Reason.MATCHED, j.shadow().reason());
    assertEquals("inbound|7070", j.chain());
    assertEquals("inbound|7070 inbound|http|7070/default", j.route());
    assertTrue(j.http());
  }

  @Test
  void theListenerAloneDoesNotSeeTheProposal_soRoutesMustBeJudged() {
    ServedResources served = ServedTranslator.envoy(CART.workloadId(), PolicyLayers.dryRun(CART),
        TranslatorOptions.DEFAULTS, "als");
    Judgement listenerOnly = InboundEvaluator.of(served.listeners().get(0))
        .judge(call(FRONTEND, 7070, "/hipstershop.CartService/Nope"));
    assertNull(listenerOnly.shadow(), "the listener's base RBAC filter is empty");
    assertFalse(ServedEvaluator.of(served).judge(call(FRONTEND, 7070, "/hipstershop.CartService/Nope"))
        .shadow().allowed());
  }

  @Test
  void anUnobservedMethodOfAnAdmittedPeer_isDeniedAndNamesTheRuleThatWouldHaveToChange() {
    Judgement j = envoy(PolicyLayers.dryRun(CART)).judge(call(FRONTEND, 7070, "/hipstershop.CartService/Nope"));
    assertTrue(j.enforced().allowed(), "dry-run denies nothing");
    assertFalse(j.shadow().allowed());
    assertNull(j.shadow().decision().matchedPolicy(), "an ALLOW list names no policy for a denial, as Envoy");
    assertEquals(RULE, j.shadow().policy());
    assertEquals(LayerVerdict.Reason.PEER_ADMITTED_REQUEST_NOT, j.shadow().reason());
  }

  @Test
  void anUnknownPeerCallingAnObservedMethod_namesTheRuleThatAdmitsTheRequest() {
    Judgement j = envoy(PolicyLayers.dryRun(CART)).judge(call(AD, 7070, "/hipstershop.CartService/GetCart"));
    assertFalse(j.shadow().allowed());
    assertEquals(RULE, j.shadow().policy());
    assertEquals(LayerVerdict.Reason.REQUEST_ADMITTED_PEER_NOT, j.shadow().reason());
  }

  @Test
  void aPortNoRuleNames_fallsToThePassthroughChain_andNoRuleMatches() {
    Judgement j = envoy(PolicyLayers.dryRun(CART)).judge(call(FRONTEND, 9999, "/x"));
    assertEquals("inbound|passthrough", j.chain());
    assertFalse(j.shadow().allowed());
    assertNull(j.shadow().policy());
    assertEquals(LayerVerdict.Reason.NO_RULE_MATCHES, j.shadow().reason());
    assertFalse(j.http());
  }

  @Test
  void enforce_theApprovedRulesDenyWithTheSameAttribution() {
    Judgement j = envoy(PolicyLayers.enforce(CART, CART)).judge(call(FRONTEND, 7070, "/hipstershop.CartService/Nope"));
    assertFalse(j.enforced().allowed());
    assertEquals(RULE, j.enforced().policy());
    assertEquals(LayerVerdict.Reason.PEER_ADMITTED_REQUEST_NOT, j.enforced().reason());
    assertFalse(j.shadow().allowed());
    assertTrue(envoy(PolicyLayers.enforce(CART, CART)).judge(call(FRONTEND, 7070, "/hipstershop.CartService/GetCart"))
        .enforced().allowed());
  }

  @Test
  void proxylessGrpc_bindsOneListenerPerPort_andTheShadowLayerIsJudgedThoughGrpcIgnoresIt() {
    ServedEvaluator e = ServedEvaluator.of(ServedTranslator.grpc(CART.workloadId(), List.of(7070),
        PolicyLayers.dryRun(CART), TranslatorOptions.DEFAULTS));
    Judgement denied = e.judge(call(FRONTEND, 7070, "/hipstershop.CartService/Nope"));
    assertTrue(denied.enforced().allowed());
    assertFalse(denied.shadow().allowed());
    assertEquals(RULE, denied.shadow().policy());
    assertTrue(e.judge(call(FRONTEND, 7070, "/hipstershop.CartService/AddItem")).shadow().allowed());
    assertNull(e.judge(call(FRONTEND, 9999, "/x")), "no listener on that port: nothing of ours saw it");
  }

  static Policy allowPath(String path) {
    return Policy.newBuilder().addPrincipals(Principal.newBuilder().setAny(true))
        .addPermissions(Permission.newBuilder().setUrlPath(io.envoyproxy.envoy.type.matcher.v3.PathMatcher.newBuilder()
            .setPath(io.envoyproxy.envoy.type.matcher.v3.StringMatcher.newBuilder().setExact(path)))).build();
  }

  static Any perRoute(String name, Policy p) {
    return Any.pack(RBACPerRoute.newBuilder().setRbac(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC
        .newBuilder().setRules(RBAC.newBuilder().setAction(RBAC.Action.ALLOW).putPolicies(name, p))).build());
  }

  @Test
  void theMostSpecificOverrideWins_andAnEmptyOrDisabledOneTurnsRbacOff() {
    ServedResources base = ServedTranslator.envoy(CART.workloadId(), PolicyLayers.enforce(CART, CART),
        TranslatorOptions.DEFAULTS, "als");
    RouteConfiguration rc = base.routes().get(0);
    VirtualHost vh = rc.getVirtualHosts(0).toBuilder().clearRoutes()
        .addRoutes(Route.newBuilder().setName("admin").setMatch(RouteMatch.newBuilder().setPrefix("/admin"))
            .setRoute(rc.getVirtualHosts(0).getRoutes(0).getRoute())
            .putTypedPerFilterConfig("envoy.filters.http.rbac", perRoute("admin-only", allowPath("/admin/ok"))))
        .addRoutes(Route.newBuilder().setName("open").setMatch(RouteMatch.newBuilder().setPrefix("/open"))
            .setRoute(rc.getVirtualHosts(0).getRoutes(0).getRoute())
            .putTypedPerFilterConfig("envoy.filters.http.rbac", Any.pack(RBACPerRoute.getDefaultInstance())))
        .addRoutes(Route.newBuilder().setName("off").setMatch(RouteMatch.newBuilder().setPrefix("/off"))
            .setRoute(rc.getVirtualHosts(0).getRoutes(0).getRoute())
            .putTypedPerFilterConfig("envoy.filters.http.rbac", Any.pack(FilterConfig.newBuilder().setDisabled(true)
                .build())))
        .addRoutes(rc.getVirtualHosts(0).getRoutes(0))
        .build();
    ServedEvaluator e = ServedEvaluator.of(new ServedResources(base.workloadId(), base.listeners(),
        List.of(rc.toBuilder().clearVirtualHosts().addVirtualHosts(vh).build()), base.clusters(), List.of()));
    Judgement admin = e.judge(call(AD, 7070, "/admin/ok"));
    assertTrue(admin.enforced().allowed(), admin.toString());
    assertEquals("admin-only", admin.enforced().policy());
    assertFalse(e.judge(call(AD, 7070, "/admin/other")).enforced().allowed());
    assertEquals(LayerVerdict.Reason.NO_RBAC, e.judge(call(AD, 7070, "/open/x")).enforced().reason());
    assertEquals(LayerVerdict.Reason.NO_RBAC, e.judge(call(AD, 7070, "/off/x")).enforced().reason());
    Judgement rest = e.judge(call(AD, 7070, "/hipstershop.CartService/GetCart"));
    assertFalse(rest.enforced().allowed(), "the virtual host's override still guards the other routes");
    assertEquals("inbound|7070 inbound|http|7070/default", rest.route());
  }

  @Test
  void theVirtualHostIsChosenByAuthority_exactBeforeWildcardBeforeCatchAll() {
    ServedResources base = ServedTranslator.envoy(CART.workloadId(), PolicyLayers.enforce(CART, CART),
        TranslatorOptions.DEFAULTS, "als");
    RouteConfiguration rc = base.routes().get(0);
    VirtualHost any = rc.getVirtualHosts(0);
    VirtualHost exact = any.toBuilder().setName("exact").clearDomains().addDomains("cart.shop:7070")
        .putTypedPerFilterConfig("envoy.filters.http.rbac", perRoute("exact-host", allowPath("/x"))).build();
    VirtualHost suffix = any.toBuilder().setName("suffix").clearDomains().addDomains("*.shop:7070")
        .putTypedPerFilterConfig("envoy.filters.http.rbac", perRoute("suffix-host", allowPath("/x"))).build();
    ServedEvaluator e = ServedEvaluator.of(new ServedResources(base.workloadId(), base.listeners(),
        List.of(rc.toBuilder().clearVirtualHosts().addVirtualHosts(any).addVirtualHosts(suffix).addVirtualHosts(exact)
            .build()), base.clusters(), List.of()));
    java.util.function.Function<String, Judgement> at = host -> e.judge(Request.builder().principal(AD)
        .destinationPort(7070).method("POST").path("/x").authority(host).build());
    assertEquals("exact-host", at.apply("CART.shop:7070").enforced().policy());
    assertEquals("suffix-host", at.apply("other.shop:7070").enforced().policy());
    assertFalse(at.apply("cartservice:7070").enforced().allowed(), "the catch-all keeps the proposal");
  }
}
