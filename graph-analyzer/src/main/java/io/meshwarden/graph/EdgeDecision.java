package io.meshwarden.graph;

import io.meshwarden.authz.Verdict;
import io.meshwarden.decision.LayerDecision;
import io.meshwarden.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which layer and rule decided a graph edge: the L4 layers (egress, ingress) on one port, and
 * Istio authorization on every port it was asked about (or, when it was not asked because no
 * AuthorizationPolicy applies, its default on that port).
 *
 * @param verdict the edge's verdict across layers ({@link GraphEdge#verdict()})
 * @param layers L4 egress and ingress, and Istio's default when {@code authz} is null
 * @param authz Istio's answer per port, or null when no AuthorizationPolicy applies
 */
public record EdgeDecision(Verdict verdict, Protocol protocol, int port, List<LayerDecision> layers,
    AuthzSummary authz) {
  public EdgeDecision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(protocol, "protocol");
    layers = List.copyOf(layers);
  }

  /**
   * One line per layer: {@code ingress on TCP 6379: ALLOWED by NetworkPolicy ns/redis ingress rule #1
   * (f:12); Istio authorization: DENIED by AuthorizationPolicy ns/deny-all (f:3) on TCP 6379}.
   */
  public String decidedBy() {
    List<String> parts = new ArrayList<>();
    for (LayerDecision l : layers) {
      parts.add(l.layer().title() + " on " + protocol + " " + port + ": " + l.verdict() + " "
          + (l.policy() == null ? "(" + l.reason() + ")" : "by " + l.decidedBy()));
    }
    if (authz != null) {
      parts.add("Istio authorization: " + authz.decidedBy());
    }
    return String.join("; ", parts);
  }
}
