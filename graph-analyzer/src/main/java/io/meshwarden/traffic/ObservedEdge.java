package io.meshwarden.traffic;

import java.util.Objects;

/** One aggregated edge of observed traffic. */
public record ObservedEdge(EdgeKey key, EdgeStats stats) {
  public ObservedEdge {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(stats, "stats");
  }
}
