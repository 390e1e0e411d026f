package io.meshwarden.sidecar.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.meshwarden.sidecar.Fixtures;
import io.meshwarden.sidecar.Mode;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.WorkloadResources;
import io.meshwarden.sidecar.listener.EnvoyTranslator;
import io.meshwarden.sidecar.listener.GrpcTranslator;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ResourceValidatorTest {
  static final WorkloadPolicy CART = Fixtures.boutique().forWorkload(Fixtures.CART.id()).orElseThrow();

  static WorkloadResources envoy() {
    return EnvoyTranslator.translate(CART, Mode.ENFORCE, TranslatorOptions.DEFAULTS);
  }

  static WorkloadResources with(WorkloadResources r, UnaryOperator<Listener> change) {
    return new WorkloadResources(r.workloadId(), List.of(change.apply(r.listeners().get(0))), r.clusters(), r.notes());
  }

  /** Rewrites the HCM of the first filter chain. */
  static Listener hcm(Listener l, UnaryOperator<HttpConnectionManager> change) {
    try {
      FilterChain fc = l.getFilterChains(0);
      HttpConnectionManager h = fc.getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
      Filter f = fc.getFilters(0).toBuilder().setTypedConfig(Any.pack(change.apply(h))).build();
      return l.toBuilder().setFilterChains(0, fc.toBuilder().setFilters(0, f)).build();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  static void assertError(List<String> errors, String fragment) {
    assertTrue(errors.stream().anyMatch(e -> e.contains(fragment)), () -> "no \"" + fragment + "\" in " + errors);
  }

  @Test
  void generated_isValid() {
    assertEquals(List.of(), ResourceValidator.validate(envoy()));
    assertEquals(List.of(), ResourceValidator.validateGrpc(GrpcTranslator.translate(CART, Mode.ENFORCE,
        TranslatorOptions.DEFAULTS)));
  }

  @Test
  void routerNotLast_isRejected() {
    WorkloadResources bad = with(envoy(), l -> hcm(l, h -> h.toBuilder().clearHttpFilters()
        .addHttpFilters(h.getHttpFilters(1)).addHttpFilters(h.getHttpFilters(0)).build()));
    assertError(ResourceValidator.validate(bad), "router must be the last http filter");
  }

  @Test
  void pgvRules_areApplied() {
    WorkloadResources bad = with(envoy(), l -> hcm(l, h -> h.toBuilder().setStatPrefix("").build()));
    assertError(ResourceValidator.validate(bad), "stat_prefix: must have at least 1 characters");
    WorkloadResources port = with(envoy(), l -> l.toBuilder().setAddress(l.getAddress().toBuilder()
        .setSocketAddress(l.getAddress().getSocketAddress().toBuilder().setPortValue(70000))).build());
    assertError(ResourceValidator.validate(port), "port_value: must be <= 65535");
  }

  @Test
  void duplicateChainMatch_missingCluster_emptyPolicy_cel_areRejected() {
    WorkloadResources dup = with(envoy(), l -> l.toBuilder().addFilterChains(l.getFilterChains(0)).build());
    assertError(ResourceValidator.validate(dup), "same filter_chain_match");
    WorkloadResources noCluster = new WorkloadResources(CART.workloadId(), envoy().listeners(), List.of(), List.of());
    assertError(ResourceValidator.validate(noCluster), "references cluster inbound|7070||");
    WorkloadResources empty = with(envoy(), l -> hcm(l, h -> rbac(h, p -> p.toBuilder().clearPrincipals().build())));
    assertError(ResourceValidator.validate(empty), "no principals");
    WorkloadResources cel = with(envoy(), l -> hcm(l, h -> rbac(h, p -> p.toBuilder()
        .setCondition(com.google.api.expr.v1alpha1.Expr.getDefaultInstance()).build())));
    assertError(ResourceValidator.validate(cel), "CEL");
  }

  @Test
  void grpc_listenerRules() {
    WorkloadResources g = GrpcTranslator.translate(CART, Mode.ENFORCE, TranslatorOptions.DEFAULTS);
    WorkloadResources loopback = with(g, l -> l.toBuilder().setAddress(l.getAddress().toBuilder()
        .setSocketAddress(l.getAddress().getSocketAddress().toBuilder().setAddress("127.0.0.1"))).build());
    assertError(ResourceValidator.validateGrpc(loopback), "bound to exactly 0.0.0.0:PORT");
    WorkloadResources filters = with(g, l -> l.toBuilder().addListenerFilters(ListenerFilter.newBuilder()
        .setName("x").setTypedConfig(Any.pack(io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3
            .OriginalDst.getDefaultInstance()))).build());
    assertError(ResourceValidator.validateGrpc(filters), "listener_filters");
    // The sidecar form forwards to a cluster: not acceptable to a grpc-xds server.
    assertError(ResourceValidator.validateGrpc(envoy()), "non_forwarding_action");
  }

  private static HttpConnectionManager rbac(HttpConnectionManager h, UnaryOperator<Policy> change) {
    try {
      var filter = h.getHttpFilters(0);
      var rbac = filter.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class);
      var rules = rbac.getRules().toBuilder();
      rbac.getRules().getPoliciesMap().forEach((k, v) -> rules.putPolicies(k, change.apply(v)));
      var changed = rbac.toBuilder().setRules(rules).build();
      return h.toBuilder().setHttpFilters(0, filter.toBuilder().setTypedConfig(Any.pack(changed))).build();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
