package io.meshwarden.verdict;

/**
 * The counts under one {@link FlowKey}: how many, first and last seen, which source said deny, how
 * often Envoy and our evaluator disagreed, and the most recent samples (a ring of fixed size).
 * Writer thread only.
 */
final class Tally {
  long count;
  long firstMillis = Long.MAX_VALUE;
  long lastMillis = Long.MIN_VALUE;
  long byEvaluator;
  long byEnvoy;
  long disagreements;
  private final Sample[] ring;
  private int next;
  private int size;

  Tally(int samples) {
    this.ring = new Sample[samples];
  }

  void add(long millis, boolean evaluatorDenied, boolean envoyDenied, boolean disagree, Sample sample) {
    count++;
    firstMillis = Math.min(firstMillis, millis);
    lastMillis = Math.max(lastMillis, millis);
    if (evaluatorDenied) {
      byEvaluator++;
    }
    if (envoyDenied) {
      byEnvoy++;
    }
    if (disagree) {
      disagreements++;
    }
    if (sample != null && ring.length > 0) {
      ring[next] = sample;
      next = (next + 1) % ring.length;
      size = Math.min(size + 1, ring.length);
    }
  }

  /** Oldest first. */
  java.util.List<Sample> samples() {
    java.util.List<Sample> out = new java.util.ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(ring[(next - size + i + ring.length) % ring.length]);
    }
    return out;
  }
}
