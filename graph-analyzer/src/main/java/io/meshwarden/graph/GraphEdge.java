package io.meshwarden.graph;

import io.meshwarden.authz.Verdict;
import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.traffic.ObservedEdge;
import java.util.List;

/**
 * A directed edge between two nodes: what L4 policy allows ({@link ConnectionSet#NONE} when
 * nothing), what Istio authorization makes of it (null when no AuthorizationPolicy applies to the
 * destination), and what was observed (aggregated per port and HTTP route). Reachable
 * ({@link #isAllowed}) only when every layer lets something through; an edge allowed at L4 but
 * denied (or left to an external authorizer) by Istio is not. Which rule of which layer decided is
 * {@link CommunicationGraph#decision}.
 */
public final class GraphEdge {
  private final String source;
  private final String target;
  private final ConnectionSet allowed;
  private final AuthzSummary authz;
  private final List<ObservedEdge> observed;

  GraphEdge(String source, String target, ConnectionSet allowed, AuthzSummary authz, List<ObservedEdge> observed) {
    this.source = source;
    this.target = target;
    this.allowed = allowed;
    this.authz = authz;
    this.observed = List.copyOf(observed);
  }

  public String source() {
    return source;
  }

  public String target() {
    return target;
  }

  /** What NetworkPolicy / AdminNetworkPolicy / BaselineAdminNetworkPolicy allow, on both sides. */
  public ConnectionSet allowed() {
    return allowed;
  }

  /** What passes every layer: the L4 set without the ports Istio authorization closes. */
  public ConnectionSet reachable() {
    return authz == null ? allowed : allowed.subtract(authz.closed());
  }

  /** Istio authorization's answer for the edge, or null when no AuthorizationPolicy applies. */
  public AuthzSummary authz() {
    return authz;
  }

  public List<ObservedEdge> observed() {
    return observed;
  }

  /** Whether L4 policy lets anything through. */
  public boolean isL4Allowed() {
    return !allowed.isEmpty();
  }

  /**
   * Whether every layer lets something through: L4, then Istio authorization (ALLOWED or DEPENDS on
   * some TCP port). UDP and SCTP, which the sidecar does not intercept, stay in {@link #reachable}
   * but do not keep an edge open on their own once Istio authorizes the destination.
   */
  public boolean isAllowed() {
    return isL4Allowed() && (authz == null || authz.mayAllow());
  }

  /** The verdict across layers: DENIED at L4 first, else Istio's (ALLOWED without AuthorizationPolicy). */
  public Verdict verdict() {
    return !isL4Allowed() ? Verdict.DENIED : authz == null ? Verdict.ALLOWED : authz.verdict();
  }

  public boolean isObserved() {
    return !observed.isEmpty();
  }

  /**
   * {@code allowed}, {@code observed}, {@code allowed+observed}, or {@code denied} for an edge L4
   * allows but Istio authorization denies (or cannot evaluate) and nobody used.
   */
  public String tag() {
    if (isAllowed()) {
      return isObserved() ? "allowed+observed" : "allowed";
    }
    return isObserved() ? "observed" : "denied";
  }

  /** Flows seen on this edge, all ports and routes together. */
  public long flowCount() {
    long n = 0;
    for (ObservedEdge e : observed) {
      n += e.stats().count();
    }
    return n;
  }

  @Override
  public String toString() {
    return source + " -> " + target + " [" + tag() + "]";
  }
}
