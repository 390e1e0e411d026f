package io.meshwarden.authz;

import io.meshwarden.model.Origin;
import java.util.List;
import java.util.Objects;

/**
 * Istio's answer for one request, with the policy and rule that gave it.
 *
 * @param policy {@code AuthorizationPolicy ns/name}, or null when no policy decided (allowed by default)
 * @param rule 1-based index of the deciding rule, 0 when the decision came from no rule matching
 * @param origin the rule's file:line when known, else the policy's
 * @param dependsOn for {@link Verdict#DEPENDS}, the attributes the answer hinges on (sorted)
 */
public record AuthzDecision(Verdict verdict, String policy, int rule, Origin origin, String reason,
    List<String> dependsOn) {
  public AuthzDecision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(reason, "reason");
    dependsOn = List.copyOf(dependsOn);
  }

  /** Whether the request is allowed whatever the unknown attributes are. */
  public boolean allowed() {
    return verdict == Verdict.ALLOWED;
  }

  /** {@code AuthorizationPolicy ns/name rule #2}, or null. */
  public String policyAndRule() {
    return policy == null ? null : policy + (rule > 0 ? " rule #" + rule : "");
  }

  @Override
  public String toString() {
    return verdict + (policy == null ? "" : " by " + policyAndRule() + " (" + origin + ")") + ": " + reason
        + (dependsOn.isEmpty() ? "" : " [depends on " + String.join(", ", dependsOn) + "]");
  }
}
