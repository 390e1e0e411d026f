package io.meshwarden.graph;

import io.meshwarden.authz.AuthzDecision;
import io.meshwarden.authz.Verdict;
import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.decision.LayeredDecider;
import io.meshwarden.decision.LayeredDecider.PortDecision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Istio authorization's answer for one graph edge, asked per group of TCP ports with nothing known
 * about the requests ({@link LayeredDecider#authzByPort}): ALLOWED on every port, DENIED on every port, NOT_EVALUABLE
 * when an external authorizer (CUSTOM) decides and no port is allowed, DEPENDS otherwise (some
 * ports, or some requests). Only DENIED and NOT_EVALUABLE make the edge unreachable.
 *
 * @param ports the decision on each group of ports
 */
public record AuthzSummary(Verdict verdict, List<PortDecision> ports) {
  public AuthzSummary {
    Objects.requireNonNull(verdict, "verdict");
    ports = List.copyOf(ports);
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

  /** TCP ports no request passes: denied, or left to an external authorizer (never read as allowed). */
  public ConnectionSet closed() {
    ConnectionSet out = ConnectionSet.NONE;
    for (PortDecision p : ports) {
      Verdict v = p.decision().verdict();
      if (v == Verdict.DENIED || v == Verdict.NOT_EVALUABLE) {
        out = out.union(p.ports());
      }
    }
    return out;
  }

  /** Whether some request may pass: ALLOWED or DEPENDS; never NOT_EVALUABLE. */
  public boolean mayAllow() {
    return verdict == Verdict.ALLOWED || verdict == Verdict.DEPENDS;
  }

  /** The policies and rules that decided, per port group: {@code DENIED by AuthorizationPolicy ns/x (f:12) on TCP 7070}. */
  public String decidedBy() {
    Map<String, List<String>> byText = new LinkedHashMap<>();
    for (PortDecision p : ports) {
      AuthzDecision d = p.decision();
      String text = d.verdict() + (d.policy() == null ? ": " + d.reason()
          : " by " + d.policyAndRule() + " (" + d.origin() + ")");
      byText.computeIfAbsent(text, k -> new ArrayList<>()).add(p.ports().toString());
    }
    List<String> parts = new ArrayList<>();
    byText.forEach((text, on) -> parts.add(text + " on " + String.join(", ", on)));
    return String.join("; ", parts);
  }
}
