package io.meshwarden.connectivity;

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

  /** One direction's verdict; {@code steps} read top to bottom like a trace. */
  public record Side(String subject, boolean allowed, List<String> steps) {
    public Side {
      steps = List.copyOf(steps);
    }
  }

  /** A readable multi-line account, as {@code meshwarden explain} prints it. */
  public String render(String connection) {
    StringBuilder sb = new StringBuilder(connection).append(": ").append(allowed ? "ALLOWED" : "DENIED").append('\n');
    for (Side s : List.of(egress, ingress)) {
      sb.append("  ").append(s == egress ? "egress of " : "ingress of ").append(s.subject()).append(": ")
          .append(s.allowed() ? "allows" : "denies").append('\n');
      s.steps().forEach(step -> sb.append("    - ").append(step).append('\n'));
    }
    return sb.toString();
  }
}
