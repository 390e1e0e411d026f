package io.meshwarden.index;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The live cluster as the rest of the control plane reads it: the current snapshot, changes as
 * they are published, and pod IP → workload with recent history. Every method may be called from
 * any thread.
 */
public interface ClusterState {
  /** The latest published snapshot; never null (version 0 is the empty cluster). */
  ClusterSnapshot current();

  /**
   * Calls {@code listener} after each publication that touches a namespace {@code namespaces}
   * accepts (or changes cluster-scoped objects), on one notification thread, in order.
   */
  Subscription subscribe(Predicate<String> namespaces, Consumer<SnapshotChange> listener);

  /** The workload that held {@code ip} at {@code at} (null: now, or most recently). */
  default Optional<IpOwner> ownerOf(String ip, Instant at) {
    return current().podIps().resolve(ip, at);
  }

  /** Stops a subscription. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
