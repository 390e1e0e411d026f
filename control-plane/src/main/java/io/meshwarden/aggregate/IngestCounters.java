package io.meshwarden.aggregate;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to every observation, for {@code /metrics}: accepted into an edge, refused (with a
 * reason from a small fixed set), dropped because the queue stayed full, or not usable because an
 * end resolved to nothing. Safe for any thread.
 */
public final class IngestCounters {
  /** Refusal reasons; a fixed set so that metric labels stay bounded. */
  public static final String NODE_UNKNOWN = "node matches no workload";
  public static final String LOCAL_UNKNOWN = "local address belongs to no workload";
  public static final String LOCAL_OTHER = "local address belongs to another workload";
  public static final String NO_LOCAL_ADDRESS = "entry has no local address";

  private final LongAdder accepted = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder unresolved = new LongAdder();
  private final LongAdder replayed = new LongAdder();
  private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

  void countAccepted() {
    accepted.increment();
  }

  void countReplayed() {
    replayed.increment();
  }

  void countUnresolved() {
    unresolved.increment();
  }

  void countRefused(String reason) {
    refused.computeIfAbsent(reason, k -> new LongAdder()).increment();
  }

  /** Entries that a full queue turned away. */
  public void dropped(long n) {
    dropped.add(n);
  }

  /** ALS entries folded into edges. */
  public long accepted() {
    return accepted.sum();
  }

  /** Replayed flow records folded into edges. */
  public long replayedFlows() {
    return replayed.sum();
  }

  public long dropped() {
    return dropped.sum();
  }

  /** Observations with an end that resolved to nothing at all (no address, no identity). */
  public long unresolved() {
    return unresolved.sum();
  }

  public long refused() {
    return refused.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Refusals by reason, sorted. */
  public Map<String, Long> refusedByReason() {
    Map<String, Long> out = new TreeMap<>();
    refused.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
