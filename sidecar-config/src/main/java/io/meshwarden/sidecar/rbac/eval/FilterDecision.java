package io.meshwarden.sidecar.rbac.eval;

/**
 * What an RBAC filter (or a chain of them) does with a request: the enforced verdict and, apart,
 * the dry-run verdict of its shadow rules.
 *
 * @param enforced the verdict of {@code rules}; allowed with no policy when the filter has none
 * @param shadow the verdict of {@code shadow_rules}, or null when there are none
 * @param chain the filter chain that handled the request, or null when none did
 */
public record FilterDecision(Decision enforced, Decision shadow, String chain) {
  public boolean allowed() {
    return enforced.allowed();
  }

  /** What a dry run reports: the shadow verdict when there is one, else the enforced one. */
  public Decision dryRun() {
    return shadow != null ? shadow : enforced;
  }
}
