package io.meshwarden.aggregate;

import io.meshwarden.store.StoredEdge;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.TrafficModel;
import java.util.Map;
import java.util.Objects;

/**
 * The learned traffic at one moment: the edges as graph-analyzer's {@link TrafficModel} (so the
 * offline analysis runs on it unchanged) and, per edge, the RBAC results its observations carried
 * (what the live dry run reads). Immutable.
 *
 * @param version changes whenever the edges do
 */
public record TrafficView(long version, TrafficModel traffic, Map<EdgeKey, java.util.List<StoredEdge.Decision>> decisions) {
  public TrafficView {
    Objects.requireNonNull(traffic, "traffic");
    decisions = Map.copyOf(decisions);
  }
}
