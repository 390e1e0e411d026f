package io.meshwarden.watch;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshwarden.index.LiveIndex;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A cluster client and the watch that feeds the index from it, started and stopped together;
 * what {@code serve} runs when it is given no manifests.
 */
public final class LiveCluster implements AutoCloseable {
  /** How long the informers may take to list the cluster before {@code serve} gives up. */
  static final Duration SYNC_TIMEOUT = Duration.ofSeconds(120);

  private final KubernetesClient client;
  private final ClusterWatch watch;

  private LiveCluster(KubernetesClient client, ClusterWatch watch) {
    this.client = client;
    this.watch = watch;
  }

  /**
   * Starts watching with {@code client} (closed with this object, or at once if the start fails)
   * and reports on {@code err} what is watched and what is not.
   */
  public static LiveCluster watch(KubernetesClient client, LiveIndex index, ClusterWatch.Options options,
      PrintWriter err) throws TimeoutException {
    ClusterWatch watch;
    try {
      watch = ClusterWatch.start(client, index, options, SYNC_TIMEOUT, line -> {
        err.println("info: " + line);
        err.flush();
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.close();
      throw new KubernetesClientException("interrupted while listing the cluster", e);
    } catch (TimeoutException | RuntimeException e) {
      client.close();
      throw e;
    }
    err.println("info: watching " + client.getMasterUrl() + (options.namespaces().isEmpty() ? ""
        : " (namespaced objects in " + String.join(", ", options.namespaces()) + ")") + ": "
        + String.join(", ", watch.watchedKinds()));
    watch.notes().forEach(n -> err.println("info: " + n));
    return new LiveCluster(client, watch);
  }

  @Override
  public void close() {
    watch.close();
    client.close();
  }
}
