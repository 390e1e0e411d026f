package io.meshwarden.sidecar.rbac.eval;

import java.util.Objects;

/**
 * What served resources do with one request, layer by layer, and where that was decided.
 *
 * @param enforced the verdict of {@code rules}; allowed with {@link LayerVerdict.Reason#NO_RBAC} where none apply
 * @param shadow the verdict of {@code shadow_rules}, or null where none apply (nothing to dry-run)
 * @param listener the listener that took the connection, or null when none did
 * @param chain the filter chain, or null
 * @param route the route configuration and route the request took ({@code inbound|7070 inbound|http|7070/default}),
 *     or null for an L4 chain or when no route matched
 * @param http whether an HTTP connection manager handled the request: then the verdict depends on the
 *     method and path, and an L4 record (no method, no path) cannot be judged by it
 */
public record Judgement(LayerVerdict enforced, LayerVerdict shadow, String listener, String chain, String route,
    boolean http) {

  public Judgement {
    Objects.requireNonNull(enforced, "enforced");
  }

  /** The older two-layer form, for callers that need no attribution. */
  public FilterDecision filterDecision() {
    return new FilterDecision(enforced.decision(), shadow == null ? null : shadow.decision(), chain);
  }
}
