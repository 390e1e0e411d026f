package io.meshwarden.verdict;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One namespace's would-deny and drift counts, bounded: at most {@code maxKeys} distinct keys;
 * a flow past the cap is still counted, under its version's overflow key, so totals (and the
 * approval gate) stay exact while detail is lost. Written by one thread; {@link #counts} may be read
 * from any thread (the version map is concurrent, its counts volatile).
 */
final class NamespaceLedger {
  /** Per (layer, version): what was judged and denied; read lock-free by the gate. */
  static final class VersionCounts {
    final FlowKey.Kind kind;
    final String version;
    volatile long judged;
    volatile long denied;
    volatile long disagreements;
    long firstMillis = Long.MAX_VALUE;
    long lastMillis = Long.MIN_VALUE;

    VersionCounts(FlowKey.Kind kind, String version) {
      this.kind = kind;
      this.version = version;
    }
  }

  private record VersionKey(FlowKey.Kind kind, String version) {}

  private final int maxKeys;
  private final int samples;
  private final Map<FlowKey, Tally> tallies = new HashMap<>();
  private final Map<VersionKey, VersionCounts> versions = new java.util.concurrent.ConcurrentHashMap<>();
  private int keys;
  long undecided;
  long overflowed;

  NamespaceLedger(int maxKeys, int samples) {
    this.maxKeys = maxKeys;
    this.samples = samples;
  }

  /** The version last used per layer; cleared by eviction. */
  private final VersionCounts[] last = new VersionCounts[FlowKey.Kind.values().length];

  /** The counts of one layer's version, created on first use. */
  VersionCounts version(FlowKey.Kind kind, String version) {
    VersionCounts l = last[kind.ordinal()];
    // Consecutive observations nearly always judge the same version: skip the map.
    if (l != null && l.version.equals(version)) {
      return l;
    }
    l = versions.computeIfAbsent(new VersionKey(kind, version), k -> new VersionCounts(kind, version));
    last[kind.ordinal()] = l;
    return l;
  }

  /** The counts of one layer's version, or null; any thread. */
  VersionCounts counts(FlowKey.Kind kind, String version) {
    return versions.get(new VersionKey(kind, version));
  }

  /** One observation judged against a version, denied or not. */
  void judged(FlowKey.Kind kind, String version, long millis, boolean disagree) {
    VersionCounts v = version(kind, version);
    v.judged++;
    if (disagree) {
      v.disagreements++;
    }
    v.firstMillis = Math.min(v.firstMillis, millis);
    v.lastMillis = Math.max(v.lastMillis, millis);
  }

  /** One denied observation; false when the cap sent it to the overflow key. */
  boolean denied(FlowKey key, long millis, boolean byEvaluator, boolean byEnvoy, boolean disagree, Sample sample) {
    Tally t = tallies.get(key);
    boolean kept = true;
    if (t == null) {
      if (keys >= maxKeys) {
        kept = false;
        overflowed++;
        key = FlowKey.overflow(key.kind(), key.version());
        t = tallies.get(key);
        sample = null;
      }
      if (t == null) {
        t = new Tally(key.isOverflow() ? 0 : samples);
        tallies.put(key, t);
        if (!key.isOverflow()) {
          keys++;
        }
      }
    }
    t.add(millis, byEvaluator, byEnvoy, disagree, sample);
    version(key.kind(), key.version()).denied++;
    return kept;
  }

  /** Forgets keys and versions not seen since {@code beforeMillis}; their counts leave the totals. */
  void evict(long beforeMillis) {
    for (Iterator<Map.Entry<FlowKey, Tally>> it = tallies.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<FlowKey, Tally> e = it.next();
      if (e.getValue().lastMillis < beforeMillis) {
        it.remove();
        if (!e.getKey().isOverflow()) {
          keys--;
        }
        VersionCounts v = versions.get(new VersionKey(e.getKey().kind(), e.getKey().version()));
        if (v != null) {
          v.denied -= e.getValue().count;
        }
      }
    }
    versions.values().removeIf(v -> v.lastMillis < beforeMillis && v.denied <= 0);
    java.util.Arrays.fill(last, null);
  }

  boolean isEmpty() {
    return tallies.isEmpty() && versions.isEmpty() && undecided == 0;
  }

  /** Distinct keys held (the overflow keys not included). */
  int keys() {
    return keys;
  }

  /** Version totals, most recent activity first. */
  List<DryRunReport.Version> versions() {
    return versions.values().stream()
        .sorted(Comparator.comparingLong((VersionCounts v) -> -v.lastMillis).thenComparing(v -> v.version))
        .map(v -> new DryRunReport.Version(v.kind == FlowKey.Kind.WOULD_DENY ? "proposal" : "approved", v.version,
            v.judged, v.denied, v.disagreements, instant(v.firstMillis), instant(v.lastMillis)))
        .toList();
  }

  /** The flows of one layer's version: by destination, then rule, then count (largest first); overflow last. */
  List<DryRunReport.Flow> flows(FlowKey.Kind kind, String version) {
    List<DryRunReport.Flow> out = new ArrayList<>();
    for (Map.Entry<FlowKey, Tally> e : tallies.entrySet()) {
      FlowKey k = e.getKey();
      if (k.kind() != kind || !k.version().equals(version)) {
        continue;
      }
      Tally t = e.getValue();
      out.add(new DryRunReport.Flow(k.version(), k.destination(), k.peer(), k.port(), k.method(), k.path(), k.policy(),
          k.reason(), t.count, instant(t.firstMillis), instant(t.lastMillis), t.byEvaluator, t.byEnvoy,
          t.disagreements, t.samples()));
    }
    out.sort(Comparator.comparing((DryRunReport.Flow f) -> FlowKey.OVERFLOW.equals(f.reason()))
        .thenComparing(DryRunReport.Flow::destination)
        .thenComparing(f -> f.policy() == null ? "" : f.policy())
        .thenComparing(DryRunReport.Flow::reason)
        .thenComparing(Comparator.comparingLong(DryRunReport.Flow::count).reversed())
        .thenComparing(DryRunReport.Flow::peer)
        .thenComparingInt(DryRunReport.Flow::port)
        .thenComparing(f -> f.method() == null ? "" : f.method())
        .thenComparing(f -> f.path() == null ? "" : f.path()));
    return out;
  }

  private static Instant instant(long millis) {
    return millis == Long.MAX_VALUE || millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
  }
}
