package io.meshwarden.aggregate;

import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import java.util.Objects;

/**
 * One ALS stream's node as the aggregator sees it: its claimed identity, shared by every
 * observation of the stream, and the workload that identity resolved to in the aggregator's current
 * snapshot. The cache fields are read and written by the aggregator's thread only.
 */
public final class StreamNode {
  private final NodeIdentity identity;
  private final Origin origin;
  // Aggregator thread only.
  private long resolvedIn = -1;
  private Workload workload;

  public StreamNode(NodeIdentity identity) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.origin = new Origin("als:" + identity.describe(), 0);
  }

  public NodeIdentity identity() {
    return identity;
  }

  /** The origin observations of this stream carry as evidence. */
  public Origin origin() {
    return origin;
  }

  boolean resolvedIn(long snapshotVersion) {
    return resolvedIn == snapshotVersion;
  }

  Workload workload() {
    return workload;
  }

  void resolved(long snapshotVersion, Workload w) {
    resolvedIn = snapshotVersion;
    workload = w;
  }
}
