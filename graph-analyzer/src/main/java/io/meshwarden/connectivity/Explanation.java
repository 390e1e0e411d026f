package io.meshwarden.connectivity;

import io.meshwarden.model.Origin;
import java.util.List;
import java.util.Objects;

/**
 * Why one connection is allowed or denied: each side's verdict with the policies and rules that
 * decided it (kind, name, rule, file:line), in the order they were consulted.
 */
public record Explanation(boolean allowed, Side egress, Side ingress) {
  public Explanation {
    Objects.requireNonNull(egress, "egress");
    Objects.requireNonNull(ingress, "ingress");
  }

  /**
   * One direction's verdict; {@code steps} read top to bottom like a trace.
   *
   * @param decidedBy the policy and rule that gave the verdict, or null when no policy applies
   * @param dependsOn for a denial, what would have accepted it instead (whether an address is one
   *     of a domainNames rule's names); empty when the verdict is certain
   */
  public record Side(String subject, boolean allowed, List<String> steps, DecidedBy decidedBy, List<String> dependsOn) {
    public Side {
      steps = List.copyOf(steps);
      dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    /** A side decided by a policy, hinging on nothing unknown. */
    public Side(String subject, boolean allowed, List<String> steps, DecidedBy decidedBy) {
      this(subject, allowed, steps, decidedBy, List.of());
    }

    /** A side no policy decided (outside the cluster, or allowed by default). */
    public Side(String subject, boolean allowed, List<String> steps) {
      this(subject, allowed, steps, null, List.of());
    }

    /** Whether the verdict hinges on what is not known (a denial a domainNames rule may have accepted). */
    public boolean depends() {
      return !allowed && !dependsOn.isEmpty();
    }
  }

  /**
   * The policy and rule behind a side's verdict.
   *
   * @param policy {@code NetworkPolicy ns/name}, {@code AdminNetworkPolicy name}, or several
   *     NetworkPolicies joined by commas when none of the policies selecting a workload admits
   * @param rule {@code ingress rule #2}, {@code egress rule "name"}, or null when no rule matched
   * @param origin file:line of the rule, or of the (first) policy when no rule matched
   */
  public record DecidedBy(String policy, String rule, Origin origin) {
    public DecidedBy {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(origin, "origin");
    }
  }

  /** A readable multi-line account, as {@code meshwarden explain} prints it. */
  public String render(String connection) {
    StringBuilder sb = new StringBuilder(connection).append(": ").append(allowed ? "ALLOWED" : "DENIED").append('\n');
    for (Side s : List.of(egress, ingress)) {
      sb.append("  ").append(s == egress ? "egress of " : "ingress of ").append(s.subject()).append(": ")
          .append(s.allowed() ? "allows" : s.depends() ? "depends (" + String.join("; ", s.dependsOn()) + ")" : "denies")
          .append('\n');
      s.steps().forEach(step -> sb.append("    - ").append(step).append('\n'));
    }
    return sb.toString();
  }
}
