package io.meshwarden.sidecar.rbac.eval;

/**
 * The verdict of one RBAC config on one request, and the reason (grpc-java's AuthDecision).
 *
 * @param allowed whether the request passes
 * @param matchedPolicy the first policy, in name order, that matched; null when none did
 * @param action the RBAC's action (ALLOW, DENY, LOG)
 */
public record Decision(boolean allowed, String matchedPolicy, String action) {
  @Override
  public String toString() {
    return (allowed ? "ALLOW" : "DENY") + " (" + action + " rbac, "
        + (matchedPolicy == null ? "no policy matched" : "policy " + matchedPolicy) + ")";
  }
}
