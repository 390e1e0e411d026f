package io.meshwarden.aggregate;

import io.meshwarden.model.Origin;
import io.meshwarden.store.StoredEdge;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.EdgeStats;
import io.meshwarden.traffic.FlowSource;
import io.meshwarden.traffic.ObservedEdge;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The running totals of one edge: count, bytes, denied, first/last seen, the RBAC results its
 * observations carried and the hourly buckets not yet written to the store. Mutable; owned by the
 * aggregator's thread.
 *
 * <p>Laid out for a million edges: the store holds every hourly bucket of the retention window and
 * adds each flush's buckets to its own, so an edge keeps in memory only the hours observed since
 * the last flush (none for an edge that is quiet), however many hours it was seen in; RBAC results
 * are two arrays sized to what was seen, of keys the aggregator shares between edges; the sources
 * that saw the edge are bits.
 */
final class LiveEdge {
  /** Distinct RBAC result combinations kept per edge; the rest are counted under {@link #OTHER}. */
  static final int MAX_DECISIONS = 32;
  static final String OTHER = "{other}";

  private static final FlowSource[] SOURCES = FlowSource.values();
  /** The set of sources for each bit mask, built once: views share them instead of copying. */
  private static final List<Set<FlowSource>> SOURCE_SETS = sourceSets();

  final EdgeKey key;
  private final Origin sample;
  long count;
  long bytes;
  long denied;
  long firstMillis;
  long lastMillis;
  // Buckets since the last flush: (hour, count, bytes) triples ascending by hour; null when none.
  private long[] pending;
  private int pendingSize;
  // RBAC result combinations and their counts, the first decisionSize slots used; null when none.
  private DecisionKey[] decisionKeys;
  private long[] decisionCounts;
  private int decisionSize;
  private int observers;
  // Flush bookkeeping: totals changed since the last flush.
  boolean dirty;

  record DecisionKey(String shadowResult, String shadowPolicyId, String details) {}

  private static final DecisionKey OTHER_KEY = new DecisionKey(OTHER, OTHER, OTHER);

  LiveEdge(EdgeKey key, long firstMillis, Origin sample) {
    this.key = key;
    this.firstMillis = firstMillis;
    this.lastMillis = firstMillis;
    this.sample = sample;
  }

  /** An edge as the store has it; its buckets stay there (flushes add to them). */
  static LiveEdge restore(EdgeKey key, StoredEdge s, UnaryOperator<Object> canonical) {
    LiveEdge e = new LiveEdge(key, s.firstSeenMillis(), new Origin("store", 0));
    e.count = s.count();
    e.bytes = s.bytes();
    e.denied = s.denied();
    e.lastMillis = s.lastSeenMillis();
    for (String o : s.observers()) {
      FlowSource f;
      try {
        f = FlowSource.valueOf(o);
      } catch (IllegalArgumentException unknownToThisRelease) {
        f = FlowSource.UNKNOWN;
      }
      e.observers |= 1 << f.ordinal();
    }
    for (StoredEdge.Decision d : s.decisions()) {
      e.addDecision((DecisionKey) canonical.apply(new DecisionKey(d.shadowResult(), d.shadowPolicyId(), d.details())),
          d.count());
    }
    return e;
  }

  /**
   * Folds one observation in; {@code counted} false adds evidence (bytes, RBAC results) but no
   * request. {@code canonical} returns the aggregator's shared instance of an RBAC result key.
   */
  void add(long millis, long bytes, boolean counted, boolean deniedByDataPlane, FlowSource observer,
      String shadowResult, String shadowPolicyId, String details, UnaryOperator<Object> canonical) {
    int n = counted ? 1 : 0;
    observers |= 1 << observer.ordinal();
    count += n;
    this.bytes += bytes;
    if (deniedByDataPlane) {
      denied++;
    }
    firstMillis = Math.min(firstMillis, millis);
    lastMillis = Math.max(lastMillis, millis);
    addToBucket(Math.floorDiv(millis, 3_600_000L), n, bytes);
    dirty = true;
    if (shadowResult != null || shadowPolicyId != null || details != null) {
      DecisionKey k = new DecisionKey(nz(shadowResult), nz(shadowPolicyId), nz(details));
      int i = indexOf(k);
      if (i < 0 && decisionSize >= MAX_DECISIONS) {
        k = OTHER_KEY;
        i = indexOf(k);
      }
      if (i >= 0) {
        decisionCounts[i]++;
      } else {
        addDecision((DecisionKey) canonical.apply(k), 1);
      }
    }
  }

  private int indexOf(DecisionKey k) {
    for (int i = 0; i < decisionSize; i++) {
      if (decisionKeys[i] == k || decisionKeys[i].equals(k)) {
        return i;
      }
    }
    return -1;
  }

  private void addDecision(DecisionKey k, long n) {
    if (decisionKeys == null) {
      decisionKeys = new DecisionKey[1];
      decisionCounts = new long[1];
    } else if (decisionSize == decisionKeys.length) {
      int grown = Math.min(MAX_DECISIONS + 1, decisionSize * 2);
      decisionKeys = Arrays.copyOf(decisionKeys, grown);
      decisionCounts = Arrays.copyOf(decisionCounts, grown);
    }
    decisionKeys[decisionSize] = k;
    decisionCounts[decisionSize] = n;
    decisionSize++;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private void addToBucket(long hour, long n, long b) {
    int i;
    if (pendingSize > 0 && pending[3 * (pendingSize - 1)] == hour) {
      i = pendingSize - 1;
    } else {
      i = 0;
      while (i < pendingSize && pending[3 * i] < hour) {
        i++;
      }
      if (i == pendingSize || pending[3 * i] != hour) {
        if (pending == null) {
          pending = new long[3];
        } else if (3 * pendingSize == pending.length) {
          pending = Arrays.copyOf(pending, pending.length * 2);
        }
        System.arraycopy(pending, 3 * i, pending, 3 * i + 3, 3 * (pendingSize - i));
        pending[3 * i] = hour;
        pending[3 * i + 1] = 0;
        pending[3 * i + 2] = 0;
        pendingSize++;
      }
    }
    pending[3 * i + 1] += n;
    pending[3 * i + 2] += b;
  }

  /** Drops the pending buckets of hours before {@code hour} (the store drops its own). */
  void evictBefore(long hour) {
    int i = 0;
    while (i < pendingSize && pending[3 * i] < hour) {
      i++;
    }
    if (i > 0) {
      System.arraycopy(pending, 3 * i, pending, 0, 3 * (pendingSize - i));
      pendingSize -= i;
    }
  }

  /** The store has what {@link #stored()} returned: pending buckets are forgotten. */
  void flushed() {
    dirty = false;
    pending = null;
    pendingSize = 0;
  }

  /** Hours observed since the last flush. */
  int pendingBuckets() {
    return pendingSize;
  }

  private List<StoredEdge.Bucket> pendingList() {
    List<StoredEdge.Bucket> out = new ArrayList<>(pendingSize);
    for (int i = 0; i < pendingSize; i++) {
      out.add(new StoredEdge.Bucket(pending[3 * i], pending[3 * i + 1], pending[3 * i + 2]));
    }
    return out;
  }

  List<StoredEdge.Decision> decisions() {
    List<StoredEdge.Decision> out = new ArrayList<>(decisionSize);
    for (int i = 0; i < decisionSize; i++) {
      DecisionKey k = decisionKeys[i];
      out.add(new StoredEdge.Decision(k.shadowResult(), k.shadowPolicyId(), k.details(), decisionCounts[i]));
    }
    out.sort((a, b) -> (a.shadowResult() + '\0' + a.shadowPolicyId() + '\0' + a.details())
        .compareTo(b.shadowResult() + '\0' + b.shadowPolicyId() + '\0' + b.details()));
    return out;
  }

  private Set<FlowSource> observerSet() {
    return SOURCE_SETS.get(observers);
  }

  /** The totals and RBAC results, and as buckets the hours to add to the store's. */
  StoredEdge stored() {
    return new StoredEdge(key.source().id(), key.destination().id(), key.protocol().name(), key.port(), key.method(),
        key.pathTemplate(), count, bytes, denied, firstMillis, lastMillis, pendingList(), decisions(),
        observerSet().stream().map(Enum::name).collect(java.util.stream.Collectors.toSet()));
  }

  ObservedEdge observed() {
    return new ObservedEdge(key, new EdgeStats(count, bytes, Instant.ofEpochMilli(firstMillis),
        Instant.ofEpochMilli(lastMillis), denied, sample,
        observers == 0 ? SOURCE_SETS.get(1 << FlowSource.UNKNOWN.ordinal()) : observerSet()));
  }

  private static List<Set<FlowSource>> sourceSets() {
    List<Set<FlowSource>> out = new ArrayList<>(1 << SOURCES.length);
    for (int mask = 0; mask < 1 << SOURCES.length; mask++) {
      EnumSet<FlowSource> s = EnumSet.noneOf(FlowSource.class);
      for (FlowSource f : SOURCES) {
        if ((mask & 1 << f.ordinal()) != 0) {
          s.add(f);
        }
      }
      out.add(Collections.unmodifiableSet(s));
    }
    return List.copyOf(out);
  }
}
