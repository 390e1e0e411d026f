package io.meshwarden.demo.workloads;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.meshwarden.index.LiveIndex;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulated Online Boutique of {@code demo --workloads}, running: one proxyless gRPC server per
 * service of the {@link DemoPlan} (xDS from the control plane, access logs to its ALS receiver), a
 * load generator calling the frontend, and an intruder — the frontend calling paymentservice's
 * {@code Charge}, which only checkoutservice does — while {@code intruderActive} says so. The plan's
 * pods must be in the control plane's cluster state before they connect (their node metadata names
 * them): {@link #start} applies them first. Events are JSON lines to the log sink. Thread-safe;
 * {@link #close} stops everything.
 */
public final class DemoWorkloads implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * @param loadInterval pause between two load generator requests to the frontend
   * @param intruderInterval pause between two intruder calls
   * @param startTimeout how long the servers may wait for their first configuration
   */
  public record Settings(Duration loadInterval, Duration intruderInterval, Duration startTimeout) {
    public Settings {
      Objects.requireNonNull(loadInterval, "loadInterval");
      Objects.requireNonNull(intruderInterval, "intruderInterval");
      Objects.requireNonNull(startTimeout, "startTimeout");
    }

    public static Settings defaults() {
      return new Settings(Duration.ofMillis(250), Duration.ofSeconds(3), Duration.ofSeconds(30));
    }
  }

  /** What runs and how it fares; {@code simulated} is always true (for the UI to say so). */
  public record Snapshot(boolean simulated, String note, List<PodStatus> pods, LoadStatus load,
      IntruderStatus intruder) {}

  /** A simulated pod (port 0: it only calls out) and the inbound calls its access log reported. */
  public record PodStatus(String namespace, String workload, String pod, String address, int port, boolean serving,
      String notServing, long inboundCalls, long deniedCalls, long accessLogEntriesSent,
      long accessLogEntriesDropped) {}

  public record LoadStatus(String from, String to, long requests, long ok, long failed, String lastFailure) {}

  public record IntruderStatus(boolean active, String from, String to, String method, long attempts, long allowed,
      long denied, long failed, String lastResult) {}

  private static final String NOTE = "simulated by meshwarden demo --workloads: the Online Boutique services are"
      + " proxyless gRPC servers in the control plane's JVM on loopback addresses, their handlers return a few bytes;"
      + " their xDS configuration, RBAC decisions and access logs are real";

  private final DemoPlan plan;
  private final Settings settings;
  private final BooleanSupplier intruderActive;
  private final Consumer<String> log;
  private final Transport transport = new Transport();
  private final ManagedChannel als;
  private final Callers callers;
  private final Map<String, AccessLogReporter> reporters = new LinkedHashMap<>();
  private final List<SimulatedService> services = new ArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(3, r -> {
    Thread t = new Thread(r, "meshwarden-demo");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong loadRequests = new AtomicLong();
  private final AtomicLong loadOk = new AtomicLong();
  private final AtomicLong loadFailed = new AtomicLong();
  private final AtomicReference<String> loadLastFailure = new AtomicReference<>();
  private final AtomicLong intruderAttempts = new AtomicLong();
  private final AtomicLong intruderAllowed = new AtomicLong();
  private final AtomicLong intruderDenied = new AtomicLong();
  private final AtomicLong intruderFailed = new AtomicLong();
  private final AtomicReference<String> intruderLast = new AtomicReference<>();
  private int nextLoad;
  private boolean intruderWasOn;

  private DemoWorkloads(DemoPlan plan, InetSocketAddress xds, InetSocketAddress alsTarget, Settings settings,
      BooleanSupplier intruderActive, Clock clock, Consumer<String> log) {
    this.plan = plan;
    this.settings = settings;
    this.intruderActive = intruderActive;
    this.log = log;
    this.als = transport.controlPlane(alsTarget);
    this.callers = new Callers(plan, transport);
    for (OnlineBoutique.Service s : plan.services()) {
      DemoPod pod = plan.pod(s.workload()).orElseThrow();
      AccessLogReporter r = new AccessLogReporter(pod, als, clock);
      reporters.put(pod.workload(), r);
      services.add(new SimulatedService(pod, s, callers, xds, transport, r));
    }
  }

  /**
   * Applies the plan's pods to the live index (as an informer would hand them over) and waits until
   * they are published, so that the control plane knows each pod, its workload and its address
   * before the pod connects; then starts the servers (in parallel; each returns once the control
   * plane sent its Listener and routes), the access log flushes, the load generator and the intruder.
   *
   * @param xds the control plane's ADS address
   * @param als the control plane's ALS address
   * @param intruderActive asked before each intruder call: whether to make it (the demo makes it
   *     once the namespace left observe: what observe learns is the app's own traffic)
   * @throws IOException when a server cannot listen on its pod's address or gets no configuration
   *     within {@link Settings#startTimeout}; nothing is left running
   */
  public static DemoWorkloads start(LiveIndex index, DemoPlan plan, InetSocketAddress xds, InetSocketAddress als,
      Settings settings, BooleanSupplier intruderActive, Clock clock, Consumer<String> log) throws IOException {
    Objects.requireNonNull(plan, "plan").pods().forEach(p -> index.apply(p.toPod()));
    try {
      index.flush().get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the simulated pods were applied", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the live index did not publish the simulated pods: " + e, e);
    }
    DemoWorkloads d = new DemoWorkloads(plan, Objects.requireNonNull(xds, "xds"),
        Objects.requireNonNull(als, "als"), Objects.requireNonNull(settings, "settings"),
        Objects.requireNonNull(intruderActive, "intruderActive"), Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(log, "log"));
    try {
      d.startAll();
      return d;
    } catch (IOException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  /** One paragraph for the UI: what {@code --workloads} simulates, and what in it is real. */
  public static String notice(DemoPlan plan) {
    List<DemoPod> pods = plan.pods();
    return "Simulated with --workloads: " + (pods.size() - 1) + " Online Boutique services of namespace "
        + plan.namespace() + " run as proxyless gRPC servers inside this process (pods named <service>-simulated-1,"
        + " on loopback addresses " + pods.get(0).address() + " to " + pods.get(pods.size() - 1).address()
        + "); their xDS configuration, RBAC decisions and access logs are real, their handlers only answer a few"
        + " bytes. A load generator calls the frontend along the app's call graph; an intruder, the frontend"
        + " calling paymentservice's Charge (only checkoutservice does), calls once " + plan.namespace()
        + " leaves observe: dry-run shows it as would-deny against the pinned proposal, enforce denies it.";
  }

  private void startAll() throws IOException {
    ExecutorService starter = Executors.newFixedThreadPool(Math.max(1, services.size()), r -> {
      Thread t = new Thread(r, "meshwarden-demo-start");
      t.setDaemon(true);
      return t;
    });
    try {
      Map<SimulatedService, Future<?>> started = new LinkedHashMap<>();
      for (SimulatedService s : services) {
        started.put(s, starter.submit(() -> {
          s.start();
          return null;
        }));
      }
      long end = System.nanoTime() + settings.startTimeout().toNanos();
      List<String> failures = new ArrayList<>();
      for (Map.Entry<SimulatedService, Future<?>> e : started.entrySet()) {
        DemoPod p = e.getKey().pod();
        try {
          e.getValue().get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException ex) {
          failures.add(p.name() + " on " + p.target() + ": " + ex.getCause().getMessage());
        } catch (TimeoutException ex) {
          failures.add(p.name() + " on " + p.target() + ": no Listener and routes from the control plane within "
              + settings.startTimeout().toSeconds() + " s (" + e.getKey().notServing() + ")");
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while the simulated services started", ex);
        }
      }
      // A server whose Listener never came (or was refused) returns from start without serving.
      while (failures.isEmpty() && System.nanoTime() < end && !services.stream().allMatch(SimulatedService::serving)) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while the simulated services started", ex);
        }
      }
      for (SimulatedService s : services) {
        if (failures.isEmpty() && !s.serving()) {
          failures.add(s.pod().name() + " on " + s.pod().target() + ": not serving (" + s.notServing() + ")");
        }
      }
      if (!failures.isEmpty()) {
        throw new IOException("simulated services did not start: " + String.join("; ", failures));
      }
    } finally {
      starter.shutdownNow();
    }
    for (SimulatedService s : services) {
      event("demo_service_serving", "pod", s.pod().namespace() + "/" + s.pod().name(), "address", s.pod().target());
    }
    scheduler.scheduleWithFixedDelay(() -> reporters.values().forEach(AccessLogReporter::flush), 250, 250,
        TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::loadOnce, 0, settings.loadInterval().toMillis(), TimeUnit.MILLISECONDS);
    if (plan.pod(OnlineBoutique.INTRUSION.callee()).isPresent()) {
      scheduler.scheduleWithFixedDelay(this::intrudeOnce, settings.intruderInterval().toMillis(),
          settings.intruderInterval().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void loadOnce() {
    List<OnlineBoutique.Call> load = OnlineBoutique.LOAD;
    OnlineBoutique.Call c = load.get(nextLoad++ % load.size());
    loadRequests.incrementAndGet();
    Status s = callers.call(OnlineBoutique.LOAD_GENERATOR, c);
    if (s.isOk()) {
      loadOk.incrementAndGet();
      if (loadLastFailure.getAndSet(null) != null) {
        event("demo_load_recovered", "method", c.method());
      }
    } else {
      loadFailed.incrementAndGet();
      String what = c.method() + ": " + s.getCode() + (s.getDescription() == null ? "" : " " + s.getDescription());
      if (!what.equals(loadLastFailure.getAndSet(what))) {
        event("demo_load_failed", "method", c.method(), "status", s.getCode().name(),
            "description", String.valueOf(s.getDescription()));
      }
    }
  }

  private void intrudeOnce() {
    // Only once the switch has stayed on for a whole interval: a mode change reaches the servers a
    // push later (debounce plus ~0.1 s), and a call in between would pass under the old policy.
    boolean on = intruderActive.getAsBoolean();
    boolean go = on && intruderWasOn;
    intruderWasOn = on;
    if (!go) {
      return;
    }
    intruderAttempts.incrementAndGet();
    Status s = callers.call(OnlineBoutique.FRONTEND, OnlineBoutique.INTRUSION);
    String result;
    if (s.isOk()) {
      intruderAllowed.incrementAndGet();
      result = "allowed";
    } else if (s.getCode() == Status.Code.PERMISSION_DENIED) {
      intruderDenied.incrementAndGet();
      result = "denied";
    } else {
      intruderFailed.incrementAndGet();
      result = "failed " + s.getCode();
    }
    intruderLast.set(result);
    event("demo_intruder_call", "from", plan.namespace() + "/" + OnlineBoutique.FRONTEND,
        "to", plan.namespace() + "/" + OnlineBoutique.INTRUSION.callee(), "method", OnlineBoutique.INTRUSION.method(),
        "result", result, "why", "the app never makes this call: only checkoutservice charges cards");
  }

  private void event(String name, String... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", name);
    m.put("simulated", true);
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    log.accept(JSON.writeValueAsString(m));
  }

  /** The plan it runs. */
  public DemoPlan plan() {
    return plan;
  }

  /** Now: which pods serve, what their access logs reported, how the load and the intruder fare. */
  public Snapshot snapshot() {
    List<PodStatus> pods = new ArrayList<>();
    for (DemoPod p : plan.pods()) {
      SimulatedService s = services.stream().filter(x -> x.pod().equals(p)).findFirst().orElse(null);
      AccessLogReporter r = reporters.get(p.workload());
      pods.add(new PodStatus(p.namespace(), p.workload(), p.name(), p.address(), p.port(), s != null && s.serving(),
          s == null ? "no server: it only calls out" : s.notServing(), r == null ? 0 : r.calls(), r == null ? 0 : r.denied(),
          r == null ? 0 : r.sent(), r == null ? 0 : r.dropped()));
    }
    LoadStatus load = new LoadStatus(plan.namespace() + "/" + OnlineBoutique.LOAD_GENERATOR,
        plan.namespace() + "/" + OnlineBoutique.FRONTEND, loadRequests.get(), loadOk.get(), loadFailed.get(),
        loadLastFailure.get());
    boolean canIntrude = plan.pod(OnlineBoutique.INTRUSION.callee()).isPresent();
    IntruderStatus intruder = new IntruderStatus(canIntrude && intruderActive.getAsBoolean(),
        plan.namespace() + "/" + OnlineBoutique.FRONTEND, plan.namespace() + "/" + OnlineBoutique.INTRUSION.callee(),
        OnlineBoutique.INTRUSION.method(), intruderAttempts.get(), intruderAllowed.get(), intruderDenied.get(),
        intruderFailed.get(), intruderLast.get());
    return new Snapshot(true, NOTE, pods, load, intruder);
  }

  /** {@link #snapshot} as one JSON object (the {@code simulated} field of {@code /api/v1/about}). */
  public String snapshotJson() {
    return JSON.writeValueAsString(snapshot());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(6, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reporters.values().forEach(r -> {
      r.flush();
      r.close();
    });
    callers.close();
    services.forEach(SimulatedService::close);
    als.shutdown();
    try {
      als.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    als.shutdownNow();
    transport.close();
  }
}
