package io.meshwarden.store;

import java.util.List;
import java.util.Objects;

/**
 * What one flush writes, all or nothing: edges whose totals changed (with the hourly buckets
 * observed since the previous flush, which add to the stored ones), buckets older than
 * {@code evictBefore} to drop, edges to forget, and flow files whose every flow is in this flush.
 *
 * @param evictBeforeHour buckets of hours before this are deleted; {@link Long#MIN_VALUE} for none
 */
public record Flush(List<Changed> changed, List<EdgeId> removed, long evictBeforeHour, List<IngestedSource> sources) {
  public Flush {
    changed = List.copyOf(changed);
    removed = List.copyOf(removed);
    sources = List.copyOf(sources);
  }

  /**
   * A changed edge: its totals and RBAC results replace the stored ones; its buckets are what was
   * observed since the previous flush, added to the stored buckets of the same hours.
   */
  public record Changed(StoredEdge edge) {
    public Changed {
      Objects.requireNonNull(edge, "edge");
    }
  }

  /** The key of an edge. */
  public record EdgeId(String source, String destination, String protocol, int port, String method, String path) {
    public EdgeId {
      method = method == null ? "" : method;
      path = path == null ? "" : path;
    }
  }

  /**
   * A flow file replayed into the aggregator; recorded in the same transaction as its edges so that
   * a crash either keeps both or neither, and a replay never counts twice.
   */
  public record IngestedSource(String sha256, String name, long flows, long ingestedAtMillis) {}

  public boolean isEmpty() {
    return changed.isEmpty() && removed.isEmpty() && sources.isEmpty() && evictBeforeHour == Long.MIN_VALUE;
  }
}
