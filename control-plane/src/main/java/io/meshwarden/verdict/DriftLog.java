package io.meshwarden.verdict;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Drift as JSON log lines, one per (namespace, workload, peer, rule, approved version): a line at
 * the first denial, then at most one summary line per interval with the count since the last line.
 * Rate-limited because a denied caller usually retries in a loop: a line per request would bury
 * the signal (and the log pipeline) at request rate, while the first line is what incident response
 * needs at once and the summaries keep the counts. At most {@code maxKeys} keys are tracked; denials
 * of further keys are summed into one overflow line per interval. Writer thread only.
 */
final class DriftLog {
  private record Key(String namespace, String workload, String peer, String policy, String reason, String version) {}

  private static final class State {
    long total;
    long pending;
    long firstMillis;
    long lastMillis;
    long lastLineMillis;
  }

  private final Consumer<String> out;
  private final long intervalMillis;
  private final int maxKeys;
  private final Map<Key, State> keys = new LinkedHashMap<>();
  private long overflowPending;
  private long lastTick = Long.MIN_VALUE;
  private long lines;

  DriftLog(Consumer<String> out, long intervalMillis, int maxKeys) {
    this.out = out;
    this.intervalMillis = intervalMillis;
    this.maxKeys = maxKeys;
  }

  void denied(String namespace, String workload, String peer, String policy, String reason, String version,
      long millis, long nowMillis) {
    Key k = new Key(namespace, workload, peer, policy, reason, version);
    State s = keys.get(k);
    if (s == null) {
      if (keys.size() >= maxKeys) {
        overflowPending++;
        return;
      }
      s = new State();
      s.firstMillis = millis;
      s.lastMillis = millis;
      s.total = 1;
      s.lastLineMillis = nowMillis;
      keys.put(k, s);
      line(k, s, 1, true, nowMillis);
      return;
    }
    s.total++;
    s.pending++;
    s.lastMillis = Math.max(s.lastMillis, millis);
  }

  /**
   * Every interval: a summary line per key with denials since its last line; keys quiet for two
   * intervals are forgotten (their next denial is a first line again).
   */
  void tick(long nowMillis) {
    if (lastTick != Long.MIN_VALUE && nowMillis - lastTick < intervalMillis) {
      return;
    }
    lastTick = nowMillis;
    for (Iterator<Map.Entry<Key, State>> it = keys.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, State> e = it.next();
      State s = e.getValue();
      if (s.pending > 0) {
        line(e.getKey(), s, s.pending, false, nowMillis);
        s.pending = 0;
        s.lastLineMillis = nowMillis;
      } else if (nowMillis - s.lastLineMillis >= 2 * intervalMillis) {
        it.remove();
      }
    }
    if (overflowPending > 0) {
      out.accept(new JsonObject().put("time", Instant.ofEpochMilli(nowMillis).toString()).put("level", "warn")
          .put("event", "drift_overflow").put("count", overflowPending)
          .put("message", "denials of more (workload, peer, rule) keys than the drift log tracks").encode());
      lines++;
      overflowPending = 0;
    }
  }

  /** Lines written so far. */
  long lines() {
    return lines;
  }

  private void line(Key k, State s, long count, boolean first, long nowMillis) {
    out.accept(new JsonObject()
        .put("time", Instant.ofEpochMilli(nowMillis).toString())
        .put("level", "warn")
        .put("event", "drift")
        .put("first", first)
        .put("namespace", k.namespace)
        .put("workload", Names.display(k.workload))
        .put("peer", Names.display(k.peer))
        .put("policy", k.policy)
        .put("reason", k.reason)
        .put("approvedVersion", k.version)
        .put("count", count)
        .put("total", s.total)
        .put("firstSeen", Instant.ofEpochMilli(s.firstMillis).toString())
        .put("lastSeen", Instant.ofEpochMilli(s.lastMillis).toString())
        .encode());
    lines++;
  }
}
