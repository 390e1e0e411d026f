package io.meshwarden.serve;

import io.meshwarden.aggregate.IngestCounters;
import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.demo.workloads.DemoPlan;
import io.meshwarden.demo.workloads.DemoWorkloads;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.ManifestSource;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.traffic.FlowReadException;
import io.meshwarden.ingest.traffic.FlowReader;
import io.meshwarden.ingest.traffic.Format;
import io.meshwarden.replay.AlsReplay;
import io.meshwarden.replay.BundledExample;
import io.meshwarden.sidecar.ServingMode;
import io.meshwarden.store.SqliteStore;
import io.meshwarden.traffic.ObservedFlow;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code meshwarden demo}: the control plane on the bundled Online Boutique with no cluster. The
 * example's manifests stand for the cluster; its recorded hour of inbound access logs is sent to
 * the control plane's own ALS port by {@link AlsReplay}, as the pods' sidecars would, shifted so
 * the hour ends at start. Afterwards the recording keeps playing, {@code ratePerSecond} records a
 * second stamped with the current time, so the graph stays live. Nothing of this is a cluster:
 * the UI says so.
 */
public final class DemoRuntime implements AutoCloseable {
  /** How the demo runs. */
  public record Options(Path stateDir, String host, int xdsPort, int alsPort, int httpPort, int ratePerSecond,
      String toolVersion) {
    public Options {
      Objects.requireNonNull(stateDir, "stateDir");
      Objects.requireNonNull(host, "host");
    }
  }

  private final ServeRuntime serve;
  private final LiveIndex index;
  private volatile DemoWorkloads workloads;
  private final AlsReplay replay;
  private final BundledExample example;
  private final long sentAtStart;
  private volatile String lastLiveError;
  private final ScheduledExecutorService live = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "meshwarden-demo-replay");
    t.setDaemon(true);
    return t;
  });

  private DemoRuntime(ServeRuntime serve, LiveIndex index, AlsReplay replay, BundledExample example,
      long sentAtStart) {
    this.serve = serve;
    this.index = index;
    this.replay = replay;
    this.example = example;
    this.sentAtStart = sentAtStart;
  }

  /**
   * Starts the control plane, sends the recording through ALS and returns once the control plane
   * has taken in every entry sent (or {@code within} passed, which is an error).
   */
  public static DemoRuntime start(Options o, Duration within, PrintWriter out, PrintWriter err)
      throws IOException, ManifestException, FlowReadException, InterruptedException {
    BundledExample example = BundledExample.locate(Path.of("").toAbsolutePath(), o.stateDir());
    LiveIndex index = new LiveIndex(LiveIndex.Options.defaults());
    try {
      ManifestSource.load(index, example.manifests(), "default", InputStream.nullInputStream());
    } catch (ManifestException e) {
      index.close();
      throw e;
    }
    if (System.getProperty("org.sqlite.tmpdir") == null) {
      System.setProperty("org.sqlite.tmpdir", o.stateDir().toAbsolutePath().toString());
    }
    ServeRuntime serve = ServeRuntime.start(index, index.flush(), SqliteStore.open(o.stateDir()),
        new ServeRuntime.Options(List.of(), o.stateDir(), o.host(), o.xdsPort(), o.alsPort(), o.httpPort(),
            "cluster.local", new LiveAggregator.Settings(1 << 20, Duration.ofDays(30), Duration.ofSeconds(2),
                Clock.systemUTC()), o.toolVersion()), out, err);
    serve.describe("Demo: no cluster. The workloads are Online Boutique's manifests (" + example.root()
        + "); their traffic is a recorded hour of Envoy access logs, replayed through the ALS port as the"
        + " sidecars would send it (shifted to end at start), then replayed in a loop, " + o.ratePerSecond()
        + " entries a second. No pod, sidecar or request here is real.");
    AlsReplay replay = null;
    try {
      long end = System.nanoTime() + within.toNanos();
      if (!serve.awaitReady(within)) {
        throw new IOException("the control plane did not become ready within " + within.toSeconds() + " s");
      }
      List<ObservedFlow> flows = read(example.flows());
      replay = AlsReplay.connect(o.host(), serve.alsPort());
      Instant last = flows.stream().map(ObservedFlow::time).max(Comparator.naturalOrder()).orElseThrow();
      Duration shift = Duration.between(last, Instant.now());
      AlsReplay.Result r = replay.play(flows, index.current(), t -> t.plus(shift));
      IngestCounters c = serve.counters();
      while (c.accepted() + c.refused() + c.dropped() < r.sent() && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      if (c.accepted() + c.refused() + c.dropped() < r.sent()) {
        throw new IOException("the control plane took in " + c.accepted() + " of " + r.sent()
            + " replayed access-log entries within " + within.toSeconds() + " s"
            + replay.lastError().map(e -> " (ALS: " + e + ")").orElse(""));
      }
      err.printf("info: replayed %d recorded access-log entries through ALS as %d sidecar stream(s) from %s"
          + " (%d accepted, %d refused, %d skipped: no pod owns their server address)%n", r.sent(), r.streams(),
          example.flows(), c.accepted(), c.refused(), r.skipped());
      DemoRuntime demo = new DemoRuntime(serve, index, replay, example, r.sent());
      demo.keepPlaying(flows, index, o.ratePerSecond());
      return demo;
    } catch (IOException | FlowReadException | InterruptedException | RuntimeException e) {
      if (replay != null) {
        replay.close();
      }
      serve.close();
      throw e;
    }
  }

  private static List<ObservedFlow> read(String file) throws FlowReadException {
    List<ObservedFlow> flows = new ArrayList<>();
    new FlowReader(Format.AUTO, false, InputStream.nullInputStream()).read(List.of(file), flows::add);
    if (flows.isEmpty()) {
      throw new IllegalStateException(file + " holds no flow record");
    }
    return List.copyOf(flows);
  }

  /** The recording again, in order and in a loop, {@code perSecond} records a second, stamped now. */
  private void keepPlaying(List<ObservedFlow> flows, LiveIndex index, int perSecond) {
    if (perSecond <= 0) {
      return;
    }
    int[] next = {0};
    live.scheduleAtFixedRate(() -> {
      List<ObservedFlow> batch = new ArrayList<>(perSecond);
      for (int i = 0; i < perSecond; i++) {
        batch.add(flows.get(next[0]));
        next[0] = (next[0] + 1) % flows.size();
      }
      Instant now = Instant.now();
      try {
        replay.play(batch, index.current(), t -> now);
      } catch (RuntimeException e) {
        // A failed send ends its stream; the next tick opens a new one. Never stop the schedule.
        lastLiveError = e.getMessage();
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  public ServeRuntime serve() {
    return serve;
  }

  public BundledExample example() {
    return example;
  }

  /** Access-log entries sent at start (the whole recording). */
  public long sentAtStart() {
    return sentAtStart;
  }

  /** The URL of the UI. */
  public String url(String host) {
    return "http://" + host + ":" + serve.httpPort() + "/";
  }

  /**
   * {@code demo --workloads}: runs the simulated Online Boutique ({@link DemoWorkloads}) against
   * this control plane, its pods in namespace {@code default} of the cluster state, its servers
   * configured over xDS, its access logs sent to ALS; the intruder calls once {@code default} left
   * observe. Observe is where the app's own traffic is learned; moving to dry-run pins the proposal
   * of that moment, so the intruder's calls are would-deny against it (and, though newer proposals
   * learn them, only the pin is approved unless another version is named), and enforce denies them.
   * The UI's notice and {@code /api/v1/about} say what is simulated.
   *
   * @param host the address the control plane listens on (a wildcard is reached on 127.0.0.1)
   */
  public DemoWorkloads startWorkloads(String host, Consumer<String> log) throws IOException {
    String to = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    DemoPlan plan = DemoPlan.onlineBoutique(index.current().model(), "default", Set.of(), DemoPlan.FIRST_ADDRESS);
    DemoWorkloads w = DemoWorkloads.start(index, plan, new InetSocketAddress(to, serve.xdsPort()),
        new InetSocketAddress(to, serve.alsPort()), DemoWorkloads.Settings.defaults(),
        () -> serve.mode("default") != ServingMode.OBSERVE, Clock.systemUTC(), log);
    workloads = w;
    serve.describe(serve.description().map(d -> d + " ").orElse("") + DemoWorkloads.notice(plan));
    serve.simulating(w::snapshotJson);
    return w;
  }

  @Override
  public void close() {
    DemoWorkloads w = workloads;
    if (w != null) {
      w.close();
    }
    live.shutdownNow();
    replay.close();
    serve.close();
  }
}
