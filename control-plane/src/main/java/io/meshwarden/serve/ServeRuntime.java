package io.meshwarden.serve;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.meshwarden.aggregate.IngestCounters;
import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.aggregate.TrafficView;
import io.meshwarden.als.AlsService;
import io.meshwarden.api.HttpApi;
import io.meshwarden.api.Metric;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.ClusterState;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.ingest.traffic.FlowReadException;
import io.meshwarden.store.Store;
import io.meshwarden.verdict.DryRunReport;
import io.meshwarden.verdict.LiveVerdicts;
import io.meshwarden.verdict.ServedNamespace;
import io.meshwarden.verdict.ServedPolicies;
import io.meshwarden.mode.NamespaceModes;
import io.meshwarden.mode.ServedSnapshots;
import io.meshwarden.proposal.Proposals;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.xds.AdsServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A running control plane. {@link #start} opens the store, restores the learned edges, starts the
 * aggregator, binds the xDS, ALS and HTTP listeners (printing one line each), and replays the
 * {@code --flows} files; it is ready once the cluster source has published a state and the replay
 * is folded in. {@link #close} stops listeners first, then flushes the aggregator and closes the
 * store, within {@link #STOP_WITHIN}.
 */
public final class ServeRuntime implements AutoCloseable {
  /** The time a stop may take in all (SIGTERM must finish well inside Kubernetes' 30 s grace). */
  public static final Duration STOP_WITHIN = Duration.ofSeconds(9);

  /** Everything {@code serve} is started with. */
  public record Options(List<String> flows, Path stateDir, String host, int xdsPort, int alsPort, int httpPort,
      String trustDomain, LiveAggregator.Settings aggregator, String toolVersion) {
    public Options {
      flows = List.copyOf(flows);
      Objects.requireNonNull(stateDir, "stateDir");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(trustDomain, "trustDomain");
      Objects.requireNonNull(aggregator, "aggregator");
    }
  }

  private final LiveIndex cluster;
  private final CompletableFuture<Void> clusterLoaded = new CompletableFuture<>();
  private ClusterState.Subscription subscription;
  private final Store store;
  private final IngestCounters counters = new IngestCounters();
  private final LiveAggregator aggregator;
  private final LiveVerdicts verdicts;
  private final Proposals proposals;
  private final NamespaceModes modes;
  private final AdsServer ads;
  private final ExecutorService grpcExecutor;
  private final CountDownLatch replayed = new CountDownLatch(1);
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private volatile boolean ready;
  private volatile String replayError;
  private volatile String notice;
  private volatile java.util.function.Supplier<String> simulated;
  private Server alsServer;
  private Server xdsServer;
  private HttpApi http;
  private Thread replayThread;
  private int xdsPort;
  private int alsPort;
  private int httpPort;

  private ServeRuntime(LiveIndex cluster, Store store, ServedPolicies served, Options o, PrintWriter log) {
    this.cluster = cluster;
    this.store = store;
    // JSON log lines (drift, proposals, mode changes, xDS events) are serialised with the other log lines.
    Consumer<String> lines = line -> {
      synchronized (log) {
        log.println(line);
        log.flush();
      }
    };
    Clock clock = o.aggregator().clock();
    // The live dry-run judges by what the mode state serves, and the approval gate reads the live
    // dry-run: the mode state is handed over as a method, read only once traffic flows.
    this.verdicts = new LiveVerdicts(served != null ? served : this::served,
        LiveVerdicts.Settings.defaults(o.aggregator().retention(), clock), lines);
    this.aggregator = new LiveAggregator(store, o.aggregator(), counters, verdicts);
    this.proposals = new Proposals(cluster::current, aggregator::view, store, clock,
        Proposals.Settings.defaults(o.trustDomain()), lines);
    this.modes = new NamespaceModes(cluster::current, proposals, store, verdicts, TranslatorOptions.DEFAULTS, clock,
        lines);
    ServedSnapshots snapshots = new ServedSnapshots(cluster::current, modes, TranslatorOptions.DEFAULTS);
    this.ads = new AdsServer(AdsServer.Settings.defaults(), snapshots, snapshots, lines);
    proposals.onNewVersions(modes::refresh);
    modes.onServedChange(namespaces -> ads.changed(g -> namespaces.contains(g.namespace())));
    // ALS streams wait here for queue room (flow control): a pool of its own, never the event loop.
    this.grpcExecutor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
      Thread t = new Thread(r, "meshwarden-grpc");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts everything; on failure, what was started is stopped again and the error is thrown.
   *
   * @param cluster the live index (fed by informers or {@code --manifests}); closed by this runtime
   * @param loaded completes once the index holds the first complete cluster state (files read, or
   *     informers synced): readiness waits for it
   * @param store opened by the caller, closed by this runtime
   */
  public static ServeRuntime start(LiveIndex cluster, CompletionStage<?> loaded, Store store, Options o,
      PrintWriter out, PrintWriter err) throws IOException {
    return start(cluster, loaded, store, null, o, out, err);
  }

  /**
   * As above, but the live dry-run and drift ({@link #verdicts()}) judge traffic against what
   * {@code served} says each namespace is served instead of what the mode state serves (tests of the
   * verdict stage set it directly); null: the mode state.
   */
  public static ServeRuntime start(LiveIndex cluster, CompletionStage<?> loaded, Store store, ServedPolicies served,
      Options o, PrintWriter out, PrintWriter err) throws IOException {
    ServeRuntime r = new ServeRuntime(cluster, store, served, o, err);
    try {
      loaded.whenComplete((v, e) -> {
        if (e == null) {
          r.clusterLoaded.complete(null);
        } else {
          r.clusterLoaded.completeExceptionally(e);
        }
      });
      r.startAll(o, out, err);
      return r;
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  private void startAll(Options o, PrintWriter out, PrintWriter err) throws IOException {
    Clock clock = o.aggregator().clock();
    verdicts.start();
    aggregator.start();
    subscription = cluster.subscribe(ns -> true, change -> {
      aggregator.snapshot(change.current());
      if (ready) {
        // Labels, workloads and callers' addresses feed what is served.
        modes.refreshAll();
      }
    });
    clusterLoaded.thenRun(() -> {
      aggregator.snapshot(cluster.current());
      updateReadiness();
    });
    xdsServer = NettyServerBuilder.forAddress(new InetSocketAddress(o.host(), o.xdsPort())).executor(grpcExecutor)
        .addService(ads.ads()).build().start();
    xdsPort = xdsServer.getPort();
    out.println("xds listening on " + o.host() + ":" + xdsPort);
    alsServer = NettyServerBuilder.forAddress(new InetSocketAddress(o.host(), o.alsPort())).executor(grpcExecutor)
        .addService(new AlsService(aggregator, counters, clock, o.trustDomain(), () -> ready)).build().start();
    alsPort = alsServer.getPort();
    out.println("als listening on " + o.host() + ":" + alsPort);
    http = new HttpApi(new State(), o.toolVersion(), o.trustDomain(), List.of(new io.meshwarden.api.PolicyApi(
        () -> ready, ns -> proposals.newest(ns).isPresent() || modes.serving(ns).isPresent(), proposals, modes,
        store, cluster::current, aggregator::view)));
    try {
      httpPort = http.listen(o.host(), o.httpPort());
    } catch (Exception e) {
      throw new IOException("cannot listen for HTTP on " + o.host() + ":" + o.httpPort() + ": " + e.getMessage(), e);
    }
    out.println("http listening on http://" + o.host() + ":" + httpPort);
    out.flush();
    List<Path> files = FlowReplay.files(o.flows());
    FlowReplay replay = new FlowReplay(aggregator, store, clock, err);
    replayThread = new Thread(() -> {
      try {
        // Flows resolve against the cluster: wait for its first state.
        clusterLoaded.get();
        replay.replay(files);
        aggregator.flush().get();
        // What is served must be known before the first sidecar is answered: a restart in enforce
        // must never hand out an observe snapshot first.
        proposals.refresh().get();
        modes.refreshAll();
        proposals.start();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | FlowReadException | java.util.concurrent.ExecutionException e) {
        replayError = e.getMessage();
        err.println("error: replay of --flows failed: " + e.getMessage());
      }
      replayed.countDown();
      updateReadiness();
    }, "meshwarden-replay");
    replayThread.setDaemon(true);
    replayThread.start();
  }

  private synchronized void updateReadiness() {
    if (!ready && clusterLoaded.isDone() && !clusterLoaded.isCompletedExceptionally() && replayed.getCount() == 0
        && replayError == null) {
      ready = true;
      ads.ready();
    }
  }

  public boolean ready() {
    return ready;
  }

  /** Waits until ready; false on timeout or when start-up replay failed. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!ready && replayError == null && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    return ready;
  }

  /** Why start-up replay failed, if it did. */
  public Optional<String> replayError() {
    return Optional.ofNullable(replayError);
  }

  public int xdsPort() {
    return xdsPort;
  }

  public int alsPort() {
    return alsPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public IngestCounters counters() {
    return counters;
  }

  public LiveAggregator aggregator() {
    return aggregator;
  }

  private Optional<ServedNamespace> served(String namespace) {
    return modes.namespace(namespace);
  }

  public AdsServer ads() {
    return ads;
  }

  public Proposals proposals() {
    return proposals;
  }

  public NamespaceModes modes() {
    return modes;
  }

  /** The live dry-run and drift; the approval gate reads its {@code wouldDeny}. */
  public LiveVerdicts verdicts() {
    return verdicts;
  }

  private final class State implements HttpApi.State {
    @Override
    public boolean ready() {
      return ready;
    }

    @Override
    public Optional<ClusterSnapshot> cluster() {
      return ready ? Optional.of(cluster.current()) : Optional.empty();
    }

    @Override
    public CompletableFuture<TrafficView> traffic() {
      return aggregator.view();
    }

    @Override
    public List<Metric> metrics() {
      return ServeRuntime.this.metrics();
    }

    @Override
    public CompletableFuture<DryRunReport> dryRun(String namespace) {
      return verdicts.report(namespace);
    }

    @Override
    public CompletableFuture<List<io.meshwarden.finding.Finding>> driftFindings() {
      return verdicts.driftFindings();
    }

    @Override
    public Optional<String> notice() {
      return Optional.ofNullable(notice);
    }

    @Override
    public Optional<String> simulated() {
      java.util.function.Supplier<String> s = simulated;
      return s == null ? Optional.empty() : Optional.of(s.get());
    }
  }

  /** Says in the UI where the data comes from when it is not a live cluster (the demo). */
  public void describe(String what) {
    this.notice = what;
  }

  /** What {@link #describe} said last, if anything. */
  public Optional<String> description() {
    return Optional.ofNullable(notice);
  }

  /**
   * Reports, as a JSON object, what runs simulated next to the control plane ({@code demo
   * --workloads}); asked on every {@code /api/v1/about}.
   */
  public void simulating(java.util.function.Supplier<String> json) {
    this.simulated = json;
  }

  /** The mode a namespace is served in now (observe when nothing is served to it). */
  public io.meshwarden.sidecar.ServingMode mode(String namespace) {
    return served(namespace).map(ServedNamespace::mode).orElse(io.meshwarden.sidecar.ServingMode.OBSERVE);
  }

  List<Metric> metrics() {
    List<Metric> m = new ArrayList<>();
    m.add(Metric.counter("meshwarden_als_entries_total", "ALS entries accepted into the learned graph.",
        counters.accepted()));
    m.add(Metric.counter("meshwarden_als_refused_total",
        "ALS entries refused: their node or local address is not the node's workload.", counters.refused()));
    for (Map.Entry<String, Long> e : counters.refusedByReason().entrySet()) {
      m.add(new Metric("meshwarden_als_refused_by_reason_total", "counter", "ALS entries refused, by reason.",
          Map.of("reason", e.getKey()), e.getValue()));
    }
    m.add(Metric.counter("meshwarden_als_dropped_total",
        "ALS entries dropped because the aggregator queue stayed full.", counters.dropped()));
    m.add(Metric.counter("meshwarden_flows_replayed_total", "Flow records replayed from --flows files.",
        counters.replayedFlows()));
    m.add(Metric.counter("meshwarden_observations_unresolved_total",
        "Observations with an end that has no address or identity at all; not aggregated.", counters.unresolved()));
    m.add(Metric.gauge("meshwarden_aggregator_queue_depth", "Entries waiting for the aggregator.",
        aggregator.queueDepth()));
    m.add(Metric.gauge("meshwarden_aggregator_queue_capacity", "Entries the aggregator queue holds at most.",
        aggregator.queueCapacity()));
    m.add(Metric.counter("meshwarden_store_flushes_total", "Flushes that wrote learned edges to the store.",
        aggregator.flushes()));
    m.add(Metric.gauge("meshwarden_store_healthy", "1 when the last flush reached the store, else 0.",
        aggregator.storeError() == null ? 1 : 0));
    LiveIndex.Stats s = cluster.stats();
    m.add(Metric.counter("meshwarden_informer_events_total",
        "Cluster objects applied, deleted or resynced (informer events, or objects read from --manifests).",
        s.events()));
    m.add(Metric.counter("meshwarden_cluster_invalid_objects_total", "Cluster objects that could not be used.",
        s.invalidObjects()));
    m.add(Metric.counter("meshwarden_cluster_snapshots_total", "Cluster snapshots published.", s.publications()));
    m.add(Metric.counter("meshwarden_cluster_namespaces_rebuilt_total", "Namespaces recomputed for a snapshot.",
        s.namespacesRebuilt()));
    m.add(Metric.gauge("meshwarden_cluster_recompute_seconds", "Time the last cluster snapshot took to compute.",
        s.lastRecomputeNanos() / 1e9));
    m.add(Metric.gauge("meshwarden_cluster_queue_depth", "Cluster events waiting for the index.", s.queued()));
    AdsServer.Stats x = ads.stats();
    m.add(Metric.counter("meshwarden_xds_refused_streams_total",
        "xDS streams refused (before ready, or a node whose pod the index does not know).", x.refusedStreams()));
    m.add(Metric.counter("meshwarden_xds_refused_snapshots_total",
        "Snapshots refused by validation; the last good one stayed in force.", x.refusedSnapshots()));
    m.add(Metric.counter("meshwarden_xds_nacks_total", "NACKs received from sidecars.", x.nacks()));
    m.add(Metric.counter("meshwarden_xds_nacks_parked_total",
        "NACKs of the version in force whose resend was suppressed until the snapshot changes.", x.parkedNacks()));
    m.add(Metric.counter("meshwarden_xds_responses_total", "xDS responses sent.", x.responses()));
    m.add(Metric.counter("meshwarden_xds_snapshots_set_total", "Group snapshots set (pushes).", x.pushes()));
    m.add(Metric.gauge("meshwarden_xds_groups", "Snapshot groups (workload, service account, form).", x.groups()));
    Proposals.Stats p = proposals.stats();
    m.add(Metric.counter("meshwarden_proposal_recomputes_total", "Namespace proposals recomputed.", p.recomputed()));
    m.add(Metric.counter("meshwarden_proposal_versions_total", "New proposal versions recorded.", p.versions()));
    m.add(Metric.counter("meshwarden_dryrun_judged_total",
        "ALS observations of dry-run or enforce namespaces judged against the served proposal.", verdicts.judged()));
    m.add(Metric.counter("meshwarden_dryrun_would_deny_total",
        "Observations the served proposal (shadow rules) would deny, by Envoy or our evaluator.",
        verdicts.wouldDenyTotal()));
    m.add(Metric.counter("meshwarden_drift_denied_total",
        "Observations the enforced policy denied (drift: traffic outside policy).", verdicts.driftTotal()));
    m.add(Metric.counter("meshwarden_verdict_disagreements_total",
        "Observations where Envoy's logged RBAC result and our evaluator's verdict differ.",
        verdicts.disagreements()));
    m.add(Metric.counter("meshwarden_verdict_undecided_total",
        "Observations our evaluator could not judge (no served listener on the port, or L4 on an HTTP policy).",
        verdicts.undecided()));
    m.add(Metric.counter("meshwarden_verdict_not_served_total",
        "Observations of a dry-run or enforce namespace whose workload is served no policy.", verdicts.notServed()));
    m.add(Metric.counter("meshwarden_verdict_dropped_total",
        "Observations not judged because the verdict queue was full.", verdicts.dropped()));
    m.add(Metric.counter("meshwarden_verdict_overflow_total",
        "Denials counted without detail because their namespace held the most keys kept.", verdicts.overflowed()));
    m.add(Metric.counter("meshwarden_drift_log_lines_total", "Drift JSON log lines written.",
        verdicts.driftLogLines()));
    m.add(Metric.gauge("meshwarden_verdict_queue_depth", "Observations waiting to be judged.", verdicts.queueDepth()));
    m.add(Metric.gauge("meshwarden_ready", "1 once the first cluster state is loaded.", ready ? 1 : 0));
    return m;
  }

  /** Stops listeners, flushes learned traffic, closes the store; bounded by {@link #STOP_WITHIN}. */
  @Override
  public void close() {
    long end = System.nanoTime() + STOP_WITHIN.toNanos();
    if (replayThread != null) {
      replayThread.interrupt();
    }
    for (Server s : new Server[] {alsServer, xdsServer}) {
      if (s != null) {
        s.shutdown();
      }
    }
    if (http != null) {
      http.close();
    }
    for (Server s : new Server[] {alsServer, xdsServer}) {
      if (s != null) {
        try {
          if (!s.awaitTermination(Math.max(1, remainingMillis(end) / 4), TimeUnit.MILLISECONDS)) {
            s.shutdownNow();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          s.shutdownNow();
        }
      }
    }
    grpcExecutor.shutdownNow();
    ads.close();
    proposals.close();
    try {
      aggregator.close(Duration.ofMillis(Math.max(1, remainingMillis(end) - 800)));
      verdicts.close(Duration.ofMillis(Math.max(1, Math.min(300, remainingMillis(end) - 500))));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (subscription != null) {
      subscription.close();
    }
    cluster.close();
    store.close();
  }

  private static long remainingMillis(long endNanos) {
    return Math.max(0, (endNanos - System.nanoTime()) / 1_000_000);
  }
}
