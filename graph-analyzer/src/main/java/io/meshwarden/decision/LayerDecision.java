package io.meshwarden.decision;

import io.meshwarden.authz.Verdict;
import io.meshwarden.model.Origin;
import java.util.List;
import java.util.Objects;

/**
 * One layer's verdict and what gave it.
 *
 * @param policy the deciding policy ({@code NetworkPolicy ns/name}, {@code AuthorizationPolicy
 *     ns/name}), or null when no policy applies and the layer allows by default
 * @param rule the deciding rule ({@code ingress rule #2}, {@code rule #1}), or null when the
 *     verdict came from no rule matching
 * @param origin file:line of the rule, else of the policy, else {@link Origin#UNKNOWN}
 * @param dependsOn for {@link Verdict#DEPENDS}, the request attributes the answer hinges on
 * @param trace how the layer got there, top to bottom
 */
public record LayerDecision(Layer layer, Verdict verdict, String policy, String rule, Origin origin, String reason,
    List<String> dependsOn, List<String> trace) {
  public LayerDecision {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(reason, "reason");
    dependsOn = List.copyOf(dependsOn);
    trace = List.copyOf(trace);
  }

  /** {@code NetworkPolicy ns/x ingress rule #2 (file:line)}, or the reason when no policy decided. */
  public String decidedBy() {
    if (policy == null) {
      return reason;
    }
    return policy + (rule == null ? "" : " " + rule) + (origin.equals(Origin.UNKNOWN) ? "" : " (" + origin + ")");
  }
}
