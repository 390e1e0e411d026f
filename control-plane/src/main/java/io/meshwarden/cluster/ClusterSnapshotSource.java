package io.meshwarden.cluster;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where {@code serve} gets the cluster state from. A source publishes immutable snapshots; the
 * first publication makes the control plane ready.
 */
public interface ClusterSnapshotSource extends AutoCloseable {

  /** The latest snapshot, or empty until the first state is loaded. */
  Optional<ClusterSnapshot> current();

  /**
   * Calls {@code listener} with every snapshot published from now on (and at once with the current
   * one, if any). Listeners must return quickly: they run on the publishing thread.
   */
  void subscribe(Consumer<ClusterSnapshot> listener);

  /** Counts for {@code /metrics}. */
  Stats stats();

  @Override
  void close();

  /**
   * @param events objects applied, deleted or resynced (informer events, or objects read from files)
   * @param snapshots snapshots published
   * @param lastRecomputeNanos how long the last snapshot took to compute
   */
  record Stats(long events, long snapshots, long lastRecomputeNanos) {}
}
