package io.meshwarden.graph;

import io.meshwarden.authz.AuthzDecision;
import io.meshwarden.authz.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Istio authorization's answer for one graph edge, asked per port the connection could use with
 * nothing known about the requests: ALLOWED on every port, DENIED on every port, NOT_EVALUABLE
 * when an external authorizer (CUSTOM) decides and no port is allowed, DEPENDS otherwise (some
 * ports, or some requests). Only DENIED and NOT_EVALUABLE make the edge unreachable.
 *
 * @param ports the decision on each port asked, by port
 */
public record AuthzSummary(Verdict verdict, List<PortDecision> ports) {
  public AuthzSummary {
    Objects.requireNonNull(verdict, "verdict");
    ports = List.copyOf(ports);
  }

  /** Istio's decision on one port. */
  public record PortDecision(int port, AuthzDecision decision) {
    public PortDecision {
      Objects.requireNonNull(decision, "decision");
    }
  }

  /** Combines per-port decisions as the type describes. */
  static AuthzSummary of(List<PortDecision> ports) {
    boolean anyAllowed = false;
    boolean allAllowed = true;
    boolean anyDepends = false;
    boolean anyNotEvaluable = false;
    for (PortDecision p : ports) {
      Verdict v = p.decision().verdict();
      anyAllowed |= v == Verdict.ALLOWED;
      allAllowed &= v == Verdict.ALLOWED;
      anyDepends |= v == Verdict.DEPENDS;
      anyNotEvaluable |= v == Verdict.NOT_EVALUABLE;
    }
    Verdict v = allAllowed ? Verdict.ALLOWED
        : anyAllowed || anyDepends ? Verdict.DEPENDS
        : anyNotEvaluable ? Verdict.NOT_EVALUABLE : Verdict.DENIED;
    return new AuthzSummary(v, ports);
  }

  /** Whether some request may pass: ALLOWED or DEPENDS; never NOT_EVALUABLE. */
  public boolean mayAllow() {
    return verdict == Verdict.ALLOWED || verdict == Verdict.DEPENDS;
  }

  /** The policies and rules that decided, per port: {@code DENIED by AuthorizationPolicy ns/x (f:12) on TCP 7070}. */
  public String decidedBy() {
    Map<String, List<Integer>> byText = new LinkedHashMap<>();
    for (PortDecision p : ports) {
      AuthzDecision d = p.decision();
      String text = d.verdict() + (d.policy() == null ? ": " + d.reason()
          : " by " + d.policyAndRule() + " (" + d.origin() + ")");
      byText.computeIfAbsent(text, k -> new ArrayList<>()).add(p.port());
    }
    List<String> parts = new ArrayList<>();
    byText.forEach((text, on) -> parts.add(text + " on TCP "
        + String.join(",", on.stream().map(String::valueOf).toList())));
    return String.join("; ", parts);
  }
}
