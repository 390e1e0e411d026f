package io.meshwarden.traffic;

import io.meshwarden.model.Origin;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What was seen on one edge: how often, how much, when first and last, whether the data plane
 * denied any of it, one sample record to show as evidence, and which kinds of sources saw it.
 *
 * @param observers the sources that recorded flows of this edge; never empty
 */
public record EdgeStats(long count, long bytes, Instant firstSeen, Instant lastSeen, long denied, Origin sample,
    Set<FlowSource> observers) {
  public EdgeStats {
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(sample, "sample");
    if (observers.isEmpty()) {
      throw new IllegalArgumentException("an edge was seen by some source");
    }
    observers = java.util.Collections.unmodifiableSet(EnumSet.copyOf(observers));
  }

  /** Stats from a source that did not say what it watched ({@link FlowSource#UNKNOWN}). */
  public EdgeStats(long count, long bytes, Instant firstSeen, Instant lastSeen, long denied, Origin sample) {
    this(count, bytes, firstSeen, lastSeen, denied, sample, Set.of(FlowSource.UNKNOWN));
  }
}
