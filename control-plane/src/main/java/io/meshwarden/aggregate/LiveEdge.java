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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The running totals of one edge: count, bytes, denied, first/last seen, one bucket per hour inside
 * the retention window, and the RBAC results its observations carried. Mutable; owned by the
 * aggregator's thread.
 */
final class LiveEdge {
  /** Distinct RBAC result combinations kept per edge; the rest are counted under {@link #OTHER}. */
  static final int MAX_DECISIONS = 32;
  static final String OTHER = "{other}";

  final EdgeKey key;
  private final Origin sample;
  long count;
  long bytes;
  long denied;
  long firstMillis;
  long lastMillis;
  // Hourly buckets, ascending by hour; size entries used.
  private long[] hours = new long[4];
  private long[] hourCounts = new long[4];
  private long[] hourBytes = new long[4];
  private int size;
  private final Map<DecisionKey, long[]> decisions = new HashMap<>(4);
  private final EnumSet<FlowSource> observers = EnumSet.noneOf(FlowSource.class);
  // Flush bookkeeping.
  boolean dirty;
  long dirtyFromHour = Long.MAX_VALUE;

  private record DecisionKey(String shadowResult, String shadowPolicyId, String details) {}

  LiveEdge(EdgeKey key, long firstMillis, Origin sample) {
    this.key = key;
    this.firstMillis = firstMillis;
    this.lastMillis = firstMillis;
    this.sample = sample;
  }

  static LiveEdge restore(EdgeKey key, StoredEdge s) {
    LiveEdge e = new LiveEdge(key, s.firstSeenMillis(), new Origin("store", 0));
    e.count = s.count();
    e.bytes = s.bytes();
    e.denied = s.denied();
    e.lastMillis = s.lastSeenMillis();
    for (StoredEdge.Bucket b : s.buckets()) {
      e.addToBucket(b.hour(), b.count(), b.bytes());
    }
    for (String o : s.observers()) {
      try {
        e.observers.add(FlowSource.valueOf(o));
      } catch (IllegalArgumentException unknownToThisRelease) {
        e.observers.add(FlowSource.UNKNOWN);
      }
    }
    for (StoredEdge.Decision d : s.decisions()) {
      e.decisions.put(new DecisionKey(d.shadowResult(), d.shadowPolicyId(), d.details()), new long[] {d.count()});
    }
    return e;
  }

  /** Folds one observation in; {@code counted} false adds evidence (bytes, RBAC results) but no request. */
  void add(long millis, long bytes, boolean counted, boolean deniedByDataPlane, FlowSource observer,
      String shadowResult, String shadowPolicyId, String details) {
    int n = counted ? 1 : 0;
    observers.add(observer);
    count += n;
    this.bytes += bytes;
    if (deniedByDataPlane) {
      denied++;
    }
    firstMillis = Math.min(firstMillis, millis);
    lastMillis = Math.max(lastMillis, millis);
    long hour = Math.floorDiv(millis, 3_600_000L);
    addToBucket(hour, n, bytes);
    dirtyFromHour = Math.min(dirtyFromHour, hour);
    dirty = true;
    if (shadowResult != null || shadowPolicyId != null || details != null) {
      DecisionKey k = new DecisionKey(nz(shadowResult), nz(shadowPolicyId), nz(details));
      long[] c = decisions.get(k);
      if (c == null) {
        if (decisions.size() >= MAX_DECISIONS) {
          k = new DecisionKey(OTHER, OTHER, OTHER);
        }
        c = decisions.computeIfAbsent(k, x -> new long[1]);
      }
      c[0]++;
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private void addToBucket(long hour, long n, long b) {
    int i;
    if (size > 0 && hours[size - 1] == hour) {
      i = size - 1;
    } else {
      i = Arrays.binarySearch(hours, 0, size, hour);
      if (i < 0) {
        i = -i - 1;
        if (size == hours.length) {
          hours = Arrays.copyOf(hours, size * 2);
          hourCounts = Arrays.copyOf(hourCounts, size * 2);
          hourBytes = Arrays.copyOf(hourBytes, size * 2);
        }
        System.arraycopy(hours, i, hours, i + 1, size - i);
        System.arraycopy(hourCounts, i, hourCounts, i + 1, size - i);
        System.arraycopy(hourBytes, i, hourBytes, i + 1, size - i);
        hours[i] = hour;
        hourCounts[i] = 0;
        hourBytes[i] = 0;
        size++;
      }
    }
    hourCounts[i] += n;
    hourBytes[i] += b;
  }

  /** Drops the buckets of hours before {@code hour}; true when any was dropped. */
  boolean evictBefore(long hour) {
    int i = 0;
    while (i < size && hours[i] < hour) {
      i++;
    }
    if (i == 0) {
      return false;
    }
    System.arraycopy(hours, i, hours, 0, size - i);
    System.arraycopy(hourCounts, i, hourCounts, 0, size - i);
    System.arraycopy(hourBytes, i, hourBytes, 0, size - i);
    size -= i;
    return true;
  }

  int bucketCount() {
    return size;
  }

  List<StoredEdge.Bucket> buckets() {
    List<StoredEdge.Bucket> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(new StoredEdge.Bucket(hours[i], hourCounts[i], hourBytes[i]));
    }
    return out;
  }

  List<StoredEdge.Decision> decisions() {
    List<StoredEdge.Decision> out = new ArrayList<>(decisions.size());
    decisions.forEach((k, c) -> out.add(new StoredEdge.Decision(k.shadowResult, k.shadowPolicyId, k.details, c[0])));
    out.sort((a, b) -> (a.shadowResult() + '\0' + a.shadowPolicyId() + '\0' + a.details())
        .compareTo(b.shadowResult() + '\0' + b.shadowPolicyId() + '\0' + b.details()));
    return out;
  }

  StoredEdge stored() {
    return new StoredEdge(key.source().id(), key.destination().id(), key.protocol().name(), key.port(), key.method(),
        key.pathTemplate(), count, bytes, denied, firstMillis, lastMillis, buckets(), decisions(),
        observers.stream().map(Enum::name).collect(java.util.stream.Collectors.toSet()));
  }

  ObservedEdge observed() {
    return new ObservedEdge(key, new EdgeStats(count, bytes, Instant.ofEpochMilli(firstMillis),
        Instant.ofEpochMilli(lastMillis), denied, sample,
        observers.isEmpty() ? EnumSet.of(FlowSource.UNKNOWN) : observers));
  }
}
