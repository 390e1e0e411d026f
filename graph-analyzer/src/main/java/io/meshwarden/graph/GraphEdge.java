package io.meshwarden.graph;

import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.traffic.ObservedEdge;
import java.util.List;

/**
 * A directed edge between two nodes: what policy allows ({@link ConnectionSet#NONE} when nothing)
 * and what was observed (aggregated per port and HTTP route). Tagged observed, allowed, or both.
 */
public final class GraphEdge {
  private final String source;
  private final String target;
  private final ConnectionSet allowed;
  private final List<ObservedEdge> observed;

  GraphEdge(String source, String target, ConnectionSet allowed, List<ObservedEdge> observed) {
    this.source = source;
    this.target = target;
    this.allowed = allowed;
    this.observed = List.copyOf(observed);
  }

  public String source() {
    return source;
  }

  public String target() {
    return target;
  }

  public ConnectionSet allowed() {
    return allowed;
  }

  public List<ObservedEdge> observed() {
    return observed;
  }

  public boolean isAllowed() {
    return !allowed.isEmpty();
  }

  public boolean isObserved() {
    return !observed.isEmpty();
  }

  /** {@code allowed}, {@code observed} or {@code allowed+observed}. */
  public String tag() {
    return isAllowed() && isObserved() ? "allowed+observed" : isAllowed() ? "allowed" : "observed";
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
