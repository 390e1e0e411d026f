package io.meshwarden.store;

import java.util.List;
import java.util.Objects;

/**
 * One learned edge as the store keeps it: the key of {@link io.meshwarden.traffic.EdgeKey} spelled
 * as text (peer ids, protocol name; {@code method} and {@code path} empty for L4 edges), the totals,
 * the hourly buckets inside the retention window, how the data plane's RBAC judged its traffic and
 * which kinds of sources saw it ({@link io.meshwarden.traffic.FlowSource} names).
 *
 * @param firstSeenMillis epoch milliseconds of the first observation
 * @param lastSeenMillis epoch milliseconds of the last observation
 */
public record StoredEdge(String source, String destination, String protocol, int port, String method, String path,
    long count, long bytes, long denied, long firstSeenMillis, long lastSeenMillis, List<Bucket> buckets,
    List<Decision> decisions, java.util.Set<String> observers) {

  public StoredEdge {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(protocol, "protocol");
    method = method == null ? "" : method;
    path = path == null ? "" : path;
    buckets = List.copyOf(buckets);
    decisions = List.copyOf(decisions);
    observers = java.util.Set.copyOf(observers);
  }

  /**
   * Observations of one hour.
   *
   * @param hour hours since the epoch
   */
  public record Bucket(long hour, long count, long bytes) {}

  /**
   * How many observations carried one combination of RBAC results: the shadow engine's result
   * ({@code allowed}, {@code denied}, or empty when no shadow policy ran), the effective shadow
   * policy id (empty when none matched) and Envoy's {@code response_code_details} (or TCP
   * {@code connection_termination_details}).
   */
  public record Decision(String shadowResult, String shadowPolicyId, String details, long count) {
    public Decision {
      shadowResult = shadowResult == null ? "" : shadowResult;
      shadowPolicyId = shadowPolicyId == null ? "" : shadowPolicyId;
      details = details == null ? "" : details;
    }
  }
}
