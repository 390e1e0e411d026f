package io.meshwarden.sidecar.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.meshwarden.sidecar.Fixtures;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.ResourceJson;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.validate.ResourceValidator;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServedTranslatorTest {
  static final WorkloadPolicy CART = Fixtures.boutique().forWorkload(Fixtures.CART.id()).orElseThrow();
  static final WorkloadPolicy CATALOG = Fixtures.boutique().forWorkload(Fixtures.CATALOG.id()).orElseThrow();
  static final TranslatorOptions O = TranslatorOptions.DEFAULTS;

  static RBAC perRoute(RouteConfiguration rc) throws Exception {
    return rc.getVirtualHosts(0).getTypedPerFilterConfigOrThrow("envoy.filters.http.rbac")
        .unpack(RBACPerRoute.class).getRbac();
  }

  @Test
  void observeIsPassThroughWithAccessLogsAndNoRbac() {
    ServedResources r = ServedTranslator.envoy(CART.workloadId(), PolicyLayers.observe(), O, "meshwarden_als");
    assertEquals(List.of(), ResourceValidator.validateServed(r, false));
    Listener l = r.listeners().get(0);
    assertEquals(0, l.getFilterChainsCount());
    assertEquals(1, l.getDefaultFilterChain().getFiltersCount(), "tcp_proxy only, no RBAC");
    String json = ResourceJson.print(l);
    assertTrue(json.contains("envoy.access_loggers.tcp_grpc") && json.contains("meshwarden_als"), json);
    assertEquals(List.of(), r.routes());
  }

  @Test
  void dryRunCarriesTheProposalAsShadowRulesInRdsOnly() throws Exception {
    ServedResources r = ServedTranslator.envoy(CART.workloadId(), PolicyLayers.dryRun(CART), O, "als");
    assertEquals(List.of(), ResourceValidator.validateServed(r, false));
    RBAC rbac = perRoute(r.routes().get(0));
    assertFalse(rbac.hasRules());
    assertTrue(rbac.hasShadowRules());
    assertEquals("meshwarden_dry_run_", rbac.getShadowRulesStatPrefix());
    assertFalse(rbac.getShadowRules().getPoliciesMap().isEmpty());
  }

  @Test
  void enforceCarriesApprovedAsRulesAndNewestAsShadow() throws Exception {
    ServedResources r = ServedTranslator.envoy(CART.workloadId(), PolicyLayers.enforce(CART, CART), O, "als");
    assertEquals(List.of(), ResourceValidator.validateServed(r, false));
    RBAC rbac = perRoute(r.routes().get(0));
    assertEquals(rbac.getRules(), rbac.getShadowRules());
  }

  @Test
  void anHttpPolicyChangeLeavesTheListenerByteIdentical() {
    PortRule rule = CART.ingress().get(0);
    PortRule narrower = new PortRule(rule.protocol(), rule.port(), rule.portName(), rule.peers(),
        rule.http().subList(0, 1), rule.provenance());
    WorkloadPolicy changed = new WorkloadPolicy(CART.namespace(), CART.workloadId(), CART.workloadName(),
        CART.podLabels(), CART.serviceAccount(), List.of(narrower), CART.egress());
    ServedResources before = ServedTranslator.envoy(CART.workloadId(), PolicyLayers.enforce(CART, CART), O, "als");
    ServedResources after = ServedTranslator.envoy(CART.workloadId(), PolicyLayers.enforce(changed, changed), O, "als");
    assertEquals(before.listeners(), after.listeners());
    assertFalse(before.routes().equals(after.routes()));
  }

  @Test
  void aPortOnlyTheProposalNamesIsDeniedByTheEnforcedRules() throws Exception {
    // approved = cart's policy, newest proposal = catalog's (another port): enforced rules allow nothing there.
    ServedResources r = ServedTranslator.envoy(CART.workloadId(), PolicyLayers.enforce(CART, CATALOG), O, "als");
    assertEquals(List.of(), ResourceValidator.validateServed(r, false));
    RouteConfiguration catalogPort = r.routes().stream().filter(rc -> rc.getName().equals("inbound|3550"))
        .findFirst().orElseThrow();
    RBAC rbac = perRoute(catalogPort);
    assertTrue(rbac.hasRules());
    assertTrue(rbac.getRules().getPoliciesMap().isEmpty());
    assertFalse(rbac.getShadowRules().getPoliciesMap().isEmpty());
  }

  @Test
  void grpcFormHasOneListenerPerServingPortAndPolicyInRds() throws Exception {
    ServedResources observe = ServedTranslator.grpc(CART.workloadId(), Set.of(7070), PolicyLayers.observe(), O);
    assertEquals(List.of(), ResourceValidator.validateServed(observe, true));
    assertEquals(GrpcTranslator.listenerName(7070), observe.listeners().get(0).getName());
    assertTrue(observe.routes().get(0).getVirtualHosts(0).getTypedPerFilterConfigMap().isEmpty());

    ServedResources enforce = ServedTranslator.grpc(CART.workloadId(), Set.of(7070, 9090),
        PolicyLayers.enforce(CART, CART), O);
    assertEquals(List.of(), ResourceValidator.validateServed(enforce, true));
    assertEquals(observe.listeners().get(0), enforce.listeners().get(0));
    RBAC undeclared = perRoute(enforce.routes().get(1));
    assertEquals("grpc|9090", enforce.routes().get(1).getName());
    assertTrue(undeclared.hasRules() && undeclared.getRules().getPoliciesMap().isEmpty(),
        "a serving port no rule names allows nothing when enforced");
  }

  @Test
  void validationCatchesListenerAndRouteDisagreements() {
    ServedResources r = ServedTranslator.envoy(CART.workloadId(), PolicyLayers.dryRun(CART), O, "als");
    ServedResources missingRoute = new ServedResources(r.workloadId(), r.listeners(), List.of(), r.clusters(), List.of());
    assertTrue(ResourceValidator.validateServed(missingRoute, false).stream()
        .anyMatch(e -> e.contains("names route configuration inbound|7070 that is not in the snapshot")));
    RouteConfiguration orphan = r.routes().get(0).toBuilder().setName("inbound|1").build();
    ServedResources extra = new ServedResources(r.workloadId(), r.listeners(),
        List.of(r.routes().get(0), orphan), r.clusters(), List.of());
    assertTrue(ResourceValidator.validateServed(extra, false).contains("route inbound|1: no listener names it"));
    ServedResources noCluster = new ServedResources(r.workloadId(), List.of(), r.routes(), List.of(), List.of());
    assertTrue(ResourceValidator.validateServed(noCluster, false).stream()
        .anyMatch(e -> e.contains("references cluster inbound|7070|| that is not in the snapshot")));
  }
}
