package io.meshwarden.cluster;

import io.meshwarden.ingest.manifest.LoadResult;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A cluster state that does not change: read once from manifest files ({@code serve --manifests},
 * with the same reader as {@code analyze}; objects without a namespace land in {@code default}, as
 * with kubectl), or given as a model (benchmarks, tests).
 */
public final class StaticSnapshotSource implements ClusterSnapshotSource {
  private final List<Consumer<ClusterSnapshot>> listeners = new CopyOnWriteArrayList<>();
  private volatile ClusterSnapshot current;
  private volatile Stats stats = new Stats(0, 0, 0);

  private StaticSnapshotSource() {}

  /** Reads {@code paths} (files or directories); a malformed document fails the whole load. */
  public static StaticSnapshotSource load(List<String> paths) throws ManifestException {
    StaticSnapshotSource s = new StaticSnapshotSource();
    long t0 = System.nanoTime();
    LoadResult r = new ManifestLoader(false).defaultNamespace("default").load(paths);
    ClusterSnapshot snapshot = ClusterSnapshot.of(1, r.model());
    s.stats = new Stats(r.objectsRead(), 1, System.nanoTime() - t0);
    s.publish(snapshot);
    return s;
  }

  /** A source that publishes {@code model} as its one snapshot. */
  public static StaticSnapshotSource of(ClusterModel model) {
    StaticSnapshotSource s = new StaticSnapshotSource();
    long t0 = System.nanoTime();
    ClusterSnapshot snapshot = ClusterSnapshot.of(1, model);
    s.stats = new Stats(model.workloads().size(), 1, System.nanoTime() - t0);
    s.publish(snapshot);
    return s;
  }

  private void publish(ClusterSnapshot snapshot) {
    current = snapshot;
    listeners.forEach(l -> l.accept(snapshot));
  }

  @Override
  public Optional<ClusterSnapshot> current() {
    return Optional.ofNullable(current);
  }

  @Override
  public void subscribe(Consumer<ClusterSnapshot> listener) {
    listeners.add(listener);
    ClusterSnapshot now = current;
    if (now != null) {
      listener.accept(now);
    }
  }

  @Override
  public Stats stats() {
    return stats;
  }

  @Override
  public void close() {
    listeners.clear();
  }
}
