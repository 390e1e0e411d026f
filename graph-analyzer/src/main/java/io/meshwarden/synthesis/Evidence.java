package io.meshwarden.synthesis;

import io.meshwarden.model.Diagnostic;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a proposal was learned from, carried with it into every output: the observation window, the
 * sources in use and what they cannot see, the workloads left without policy for lack of evidence
 * (with the reason), and warnings about the evidence itself (a short window).
 *
 * @param firstSeen earliest observation used, or null without any
 * @param lastSeen latest observation used, or null without any
 * @param flows flows on the edges used
 * @param sources the kinds of sources the edges came from, by label
 * @param blindSpots per source in use, what it cannot see
 * @param notEnoughEvidence workloads that got no policy, and why
 * @param warnings problems with the evidence a reviewer must weigh (e.g. {@value #SHORT_WINDOW}: a window
 *     shorter than 24 h)
 */
public record Evidence(Instant firstSeen, Instant lastSeen, long flows, List<String> sources, List<String> blindSpots,
    List<Unobserved> notEnoughEvidence, List<Diagnostic> warnings) {

  /** A workload without a policy, and why. */
  public record Unobserved(String workloadId, String reason) {
    public Unobserved {
      Objects.requireNonNull(workloadId, "workloadId");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The code of the warning that the observation window is shorter than 24 h. */
  public static final String SHORT_WINDOW = "short-window";

  /** For sets that were not learned from traffic (tests, hand-written intent). */
  public static final Evidence NONE = new Evidence(null, null, 0, List.of(), List.of(), List.of(), List.of());

  public Evidence {
    sources = List.copyOf(sources);
    blindSpots = List.copyOf(blindSpots);
    notEnoughEvidence = List.copyOf(notEnoughEvidence);
    warnings = List.copyOf(warnings);
  }
}
