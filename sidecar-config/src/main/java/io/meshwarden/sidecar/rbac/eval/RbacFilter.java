package io.meshwarden.sidecar.rbac.eval;

import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import java.util.List;

/**
 * One RBAC filter's two layers as compiled evaluators; a null layer is absent. {@link #NONE} is a
 * filter with neither (Envoy and grpc-xds both let everything through it, as does a route that
 * disables the filter).
 */
record RbacFilter(RbacEvaluator rules, RbacEvaluator shadow) {
  static final RbacFilter NONE = new RbacFilter(null, null);

  /** Compiles the layers that are present (null when absent), noting what cannot be evaluated. */
  static RbacFilter of(RBAC rules, RBAC shadow, List<String> unsupported) {
    RbacEvaluator r = rules == null ? null : RbacEvaluator.of(rules);
    RbacEvaluator s = shadow == null ? null : RbacEvaluator.of(shadow);
    if (r != null) {
      unsupported.addAll(r.unsupported());
    }
    if (s != null) {
      unsupported.addAll(s.unsupported());
    }
    return r == null && s == null ? NONE : new RbacFilter(r, s);
  }

  /** The HTTP filter's config (rules and shadow_rules as present). */
  static RbacFilter of(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC http, List<String> unsupported) {
    return of(http.hasRules() ? http.getRules() : null, http.hasShadowRules() ? http.getShadowRules() : null,
        unsupported);
  }
}
