package io.meshwarden.cli;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.ManifestSource;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.serve.ServeRuntime;
import io.meshwarden.store.SqliteStore;
import io.meshwarden.store.Store;
import io.meshwarden.store.StoreException;
import io.meshwarden.watch.ClusterWatch;
import io.meshwarden.watch.LiveCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshwarden serve}: the control plane: ALS in, learned graph and findings out, xDS for the sidecars. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
          "Run the control plane: receive Envoy access logs (gRPC ALS), learn the traffic into the "
          + "store under --state-dir, serve the live graph, findings and metrics over HTTP and xDS to "
          + "the sidecars. Prints one line per listener on stdout; SIGTERM flushes what was learned "
          + "and stops.")
final class ServeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--manifests", paramLabel = "PATH",
      description = "Manifest file or directory (recursive) that stands for the cluster. Repeatable. Without it,"
          + " serve watches the cluster of the current kubeconfig context (or its own, in a pod).")
  List<String> manifests = new ArrayList<>();

  @Option(names = "--namespace", paramLabel = "NS",
      description = "Watch namespaced objects only in NS (repeatable; default: every namespace). Live cluster only.")
  List<String> namespaces = new ArrayList<>();

  @Option(names = "--resync", paramLabel = "SECONDS", defaultValue = "300",
      description = "How often the informers replay their cache; 0 never (default: ${DEFAULT-VALUE}). Live cluster only.")
  int resyncSeconds;

  @Option(names = "--flows", paramLabel = "PATH",
      description = "Recorded flow file or directory replayed at start; a file already ingested is skipped. Repeatable.")
  List<String> flows = new ArrayList<>();

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "meshwarden-state",
      description = "Where the store lives; created when missing (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @CommandLine.Mixin ListenerOptions listeners = new ListenerOptions(18000, 18001, 8080);

  @Option(names = "--insecure", description = "Serve gRPC and HTTP in plaintext (required until TLS is implemented).")
  boolean insecure;

  @Option(names = "--trust-domain", paramLabel = "TD", defaultValue = "cluster.local",
      description = "SPIFFE trust domain of the mesh (default: ${DEFAULT-VALUE}).")
  String trustDomain;

  @Option(names = "--retention-days", paramLabel = "N", defaultValue = "30",
      description = "Days of hourly traffic buckets kept per edge (default: ${DEFAULT-VALUE}).")
  int retentionDays;

  @Option(names = "--flush-interval", paramLabel = "SECONDS", defaultValue = "2",
      description = "How often learned edges are written to the store; a crash loses at most this (default: ${DEFAULT-VALUE}).")
  int flushSeconds;

  @Option(names = "--queue-capacity", paramLabel = "N", defaultValue = "1048576",
      description = "ALS entries that may wait for the aggregator before new ones are dropped (default: ${DEFAULT-VALUE}).")
  int queueCapacity;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String usage = usageError();
    if (usage != null) {
      err.println("meshwarden serve: " + usage);
      return ExitCodes.USAGE;
    }
    err.println("warning: --insecure: gRPC and HTTP are plaintext and ALS streams are not authenticated;"
        + " use only on a trusted network (TLS comes later)");
    LiveIndex cluster = new LiveIndex(LiveIndex.Options.defaults());
    LiveCluster live = null;
    if (manifests.isEmpty()) {
      try {
        live = LiveCluster.watch(new KubernetesClientBuilder().build(), cluster,
            new ClusterWatch.Options(namespaces, Duration.ofSeconds(resyncSeconds)), err);
      } catch (KubernetesClientException | TimeoutException e) {
        err.println("meshwarden serve: cannot watch the cluster: " + e.getMessage());
        cluster.close();
        return ExitCodes.BAD_INPUT;
      }
    } else {
      try {
        ManifestSource.load(cluster, manifests, "default", java.io.InputStream.nullInputStream());
      } catch (ManifestException e) {
        err.println("meshwarden serve: " + e.getMessage());
        cluster.close();
        return ExitCodes.BAD_INPUT;
      }
    }
    if (System.getProperty("org.sqlite.tmpdir") == null) {
      // sqlite-jdbc unpacks its native library; under a read-only root the state dir is writable.
      System.setProperty("org.sqlite.tmpdir", stateDir.toAbsolutePath().toString());
    }
    Store store;
    try {
      store = SqliteStore.open(stateDir);
    } catch (StoreException e) {
      err.println("meshwarden serve: " + e.getMessage());
      cluster.close();
      return ExitCodes.BAD_INPUT;
    }
    ServeRuntime runtime;
    try {
      CompletableFuture<ClusterSnapshot> loaded = cluster.flush().whenComplete((s, e) -> {
        if (s != null) {
          // Objects the index could not use are diagnostics on those objects; the rest is served.
          s.diagnostics().forEach(d -> err.println("warning: " + d));
        }
      });
      runtime = ServeRuntime.start(cluster, loaded, store, new ServeRuntime.Options(flows, stateDir, listeners.host,
          listeners.xdsPort, listeners.alsPort, listeners.httpPort, trustDomain, new LiveAggregator.Settings(queueCapacity,
              Duration.ofDays(retentionDays), Duration.ofSeconds(flushSeconds), Clock.systemUTC()),
          new MeshwardenCommand.Version().version()), out, err);
    } catch (IOException e) {
      err.println("meshwarden serve: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    LiveCluster watching = live;
    Thread stop = new Thread(() -> {
      if (watching != null) {
        watching.close();
      }
      runtime.close();
      err.println("info: stopped; learned traffic flushed to " + stateDir.resolve(SqliteStore.FILE));
      err.flush();
      stopped.countDown();
    }, "meshwarden-shutdown");
    try {
      Runtime.getRuntime().addShutdownHook(stop);
    } catch (IllegalStateException shutdownInProgress) {
      // SIGTERM arrived while serve was starting: stop as the hook would have.
      stop.run();
    }
    stopped.await();
    return ExitCodes.OK;
  }

  private String usageError() {
    if (!insecure) {
      return "serve has no TLS listeners (certificates for xDS, ALS and HTTP come with a later release);"
          + " pass --insecure to serve plaintext on a trusted network";
    }
    if (!manifests.isEmpty() && !namespaces.isEmpty()) {
      return "--namespace filters a live cluster; with --manifests every object read is used";
    }
    if (resyncSeconds < 0) {
      return "--resync must be 0 (never) or a number of seconds";
    }
    String portError = listeners.portError();
    if (portError != null) {
      return portError;
    }
    if (retentionDays < 1 || retentionDays > 3650) {
      return "--retention-days must be from 1 to 3650";
    }
    if (flushSeconds < 1 || flushSeconds > 3600) {
      return "--flush-interval must be from 1 to 3600 seconds";
    }
    if (queueCapacity < 1024) {
      return "--queue-capacity must be at least 1024";
    }
    if (trustDomain.isBlank() || trustDomain.contains("/")) {
      return "--trust-domain must be a trust domain name such as cluster.local";
    }
    if (Files.exists(stateDir) && !Files.isDirectory(stateDir)) {
      return "--state-dir " + stateDir + " exists and is not a directory";
    }
    return null;
  }
}
