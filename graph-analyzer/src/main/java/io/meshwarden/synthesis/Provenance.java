package io.meshwarden.synthesis;

import java.time.Instant;
import java.util.List;

/**
 * Why a rule exists: the observed edges it was generated from (as readable strings), how many
 * flows they carried, and when they were first and last seen. Rules kept for system traffic
 * (probes, DNS) say so in {@code reason} and have no edges.
 */
public record Provenance(String reason, List<String> edges, long flows, Instant firstSeen, Instant lastSeen) {
  public Provenance {
    edges = List.copyOf(edges);
  }

  public static Provenance system(String reason) {
    return new Provenance(reason, List.of(), 0, null, null);
  }
}
