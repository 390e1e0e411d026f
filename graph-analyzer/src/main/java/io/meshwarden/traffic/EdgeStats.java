package io.meshwarden.traffic;

import io.meshwarden.model.Origin;
import java.time.Instant;
import java.util.Objects;

/**
 * What was seen on one edge: how often, how much, when first and last, whether the data plane
 * denied any of it, and one sample record to show as evidence.
 */
public record EdgeStats(long count, long bytes, Instant firstSeen, Instant lastSeen, long denied, Origin sample) {
  public EdgeStats {
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(sample, "sample");
  }
}
