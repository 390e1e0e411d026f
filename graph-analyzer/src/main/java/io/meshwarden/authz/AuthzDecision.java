package io.meshwarden.authz;

import io.meshwarden.model.Origin;

/**
 * Istio's answer for one request, with the policy and rule that gave it.
 *
 * @param policy {@code AuthorizationPolicy ns/name}, or null when no policy decided (allowed by default)
 * @param rule 1-based index of the matching rule, 0 when the decision came from no rule matching
 */
public record AuthzDecision(boolean allowed, String policy, int rule, Origin origin, String reason) {
  @Override
  public String toString() {
    return (allowed ? "ALLOWED" : "DENIED") + (policy == null ? "" : " by " + policy
        + (rule > 0 ? " rule #" + rule : "") + " (" + origin + ")") + ": " + reason;
  }
}
