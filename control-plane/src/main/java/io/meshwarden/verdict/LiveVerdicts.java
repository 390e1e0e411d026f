package io.meshwarden.verdict;

import io.meshwarden.aggregate.AcceptedObservations;
import io.meshwarden.aggregate.Observation;
import io.meshwarden.finding.Finding;
import io.meshwarden.model.Workload;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.ServingMode;
import io.meshwarden.sidecar.rbac.eval.ServedEvaluator;
import io.meshwarden.traffic.ObservedFlow;
import io.meshwarden.traffic.PeerRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The live dry-run ledger and drift detector, the one writer of verdict state. The aggregator hands
 * it every accepted ALS observation of a namespace served in dry-run or enforce (a bounded queue:
 * when it is full the observation is dropped and counted, never waited for, so verdicts cannot
 * slow ingestion); its thread judges each against exactly what the destination workload is served
 * ({@link ServedPolicies}), by our RBAC evaluator and by what Envoy logged, and keeps would-deny
 * (proposal) and drift (enforced) counts per destination, peer, port, request shape and deciding
 * rule, keyed by version, within the window. Reads for the gate ({@link #wouldDeny}) are lock-free;
 * reports are computed on the writer thread.
 */
public final class LiveVerdicts implements DryRunVerdicts, AcceptedObservations, AutoCloseable {
  /** Shown as the version when a layer is served without one. */
  static final String NO_VERSION = "(none)";

  /**
   * @param queueCapacity observations that may wait for the writer
   * @param window how long a key is kept after it was last seen (the retention window)
   * @param maxKeysPerNamespace distinct keys kept per namespace; more are counted under an overflow key
   * @param samplesPerKey the most recent observations kept per key
   * @param logInterval how often drift summary lines are written
   */
  public record Settings(int queueCapacity, Duration window, int maxKeysPerNamespace, int samplesPerKey,
      Duration logInterval, Clock clock) {
    public Settings {
      if (queueCapacity < 1 || maxKeysPerNamespace < 1 || samplesPerKey < 0) {
        throw new IllegalArgumentException("queue capacity and keys must be positive, samples not negative");
      }
      if (window.isNegative() || window.isZero() || logInterval.isNegative() || logInterval.isZero()) {
        throw new IllegalArgumentException("window and log interval must be positive");
      }
      Objects.requireNonNull(clock, "clock");
    }

    /** 65,536 queued, 2,000 keys per namespace, 3 samples each, a drift summary a minute. */
    public static Settings defaults(Duration window, Clock clock) {
      return new Settings(1 << 16, window, 2_000, 3, Duration.ofMinutes(1), clock);
    }
  }

  private record Item(Observation observation, PeerRef source, Workload destination, String method, String path) {}

  private record Compiled(ServedResources served, ServedEvaluator evaluator) {}

  private final ServedPolicies served;
  private final Settings settings;
  private final BlockingQueue<Item> queue;
  /** A report asked for: runs once the writer has handled every observation queued before it. */
  private record Pending(long after, Runnable task) {}

  private final ConcurrentLinkedQueue<Pending> control = new ConcurrentLinkedQueue<>();
  private final AtomicLong offered = new AtomicLong();
  private final ConcurrentHashMap<String, NamespaceLedger> ledgers = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile long judged;
  private volatile long wouldDenyTotal;
  private volatile long driftTotal;
  private volatile long disagreements;
  private volatile long undecided;
  private volatile long notServed;
  private volatile long overflowed;
  private volatile long failures;

  // Writer thread only.
  private final Map<String, Compiled> evaluators = new HashMap<>();
  private final DriftLog driftLog;
  private long lastEvictMillis = Long.MIN_VALUE;
  private long handled;

  /**
   * @param served what each namespace is served now (the proposal and mode state writes it)
   * @param log where drift lines go, one JSON object per call
   */
  public LiveVerdicts(ServedPolicies served, Settings settings, Consumer<String> log) {
    this.served = Objects.requireNonNull(served, "served");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.driftLog = new DriftLog(Objects.requireNonNull(log, "log"), settings.logInterval().toMillis(),
        settings.maxKeysPerNamespace());
    this.thread = new Thread(this::run, "meshwarden-verdicts");
    thread.setDaemon(true);
  }

  public LiveVerdicts start() {
    thread.start();
    return this;
  }

  /** Aggregator thread: keeps only what a dry-run or enforce namespace serves; never blocks. */
  @Override
  public void accepted(Observation observation, PeerRef source, Workload destination, String method,
      String pathTemplate) {
    if (destination == null || source == null) {
      return;
    }
    Optional<ServedNamespace> s = served.namespace(destination.namespace());
    if (s.isEmpty() || s.get().mode() == ServingMode.OBSERVE) {
      return;
    }
    if (queue.offer(new Item(observation, source, destination, method, pathTemplate))) {
      offered.incrementAndGet();
    } else {
      dropped.incrementAndGet();
    }
  }

  @Override
  public long wouldDeny(String namespace, String proposalVersion) {
    NamespaceLedger l = ledgers.get(namespace);
    NamespaceLedger.VersionCounts c = l == null ? null : l.counts(FlowKey.Kind.WOULD_DENY, proposalVersion);
    return c == null ? 0 : c.denied;
  }

  @Override
  public long judged(String namespace, String proposalVersion) {
    NamespaceLedger l = ledgers.get(namespace);
    NamespaceLedger.VersionCounts c = l == null ? null : l.counts(FlowKey.Kind.WOULD_DENY, proposalVersion);
    return c == null ? 0 : c.judged;
  }

  /** The namespace's live dry-run and drift, computed on the writer thread once what is queued now is judged. */
  public CompletableFuture<DryRunReport> report(String namespace) {
    return onWriter(() -> reportNow(namespace));
  }

  /** Drift findings of every enforcing namespace (MW109), for the findings report. */
  public CompletableFuture<List<Finding>> driftFindings() {
    return onWriter(() -> {
      List<Finding> out = new ArrayList<>();
      for (String ns : ledgers.keySet().stream().sorted().toList()) {
        out.addAll(reportNow(ns).findings());
      }
      return out;
    });
  }

  private <T> CompletableFuture<T> onWriter(java.util.function.Supplier<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    if (!thread.isAlive()) {
      f.completeExceptionally(new IllegalStateException("the verdict writer is not running"));
      return f;
    }
    control.add(new Pending(offered.get(), () -> {
      try {
        f.complete(task.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    }));
    return f;
  }

  public long judged() {
    return judged;
  }

  public long wouldDenyTotal() {
    return wouldDenyTotal;
  }

  public long driftTotal() {
    return driftTotal;
  }

  /** Observations where Envoy's logged verdict and our evaluator's differ (either layer). */
  public long disagreements() {
    return disagreements;
  }

  public long undecided() {
    return undecided;
  }

  /** Observations of a served namespace whose workload is served no policy (no evidence for it). */
  public long notServed() {
    return notServed;
  }

  public long dropped() {
    return dropped.get();
  }

  /** Denials counted under an overflow key because their namespace held its maximum of keys. */
  public long overflowed() {
    return overflowed;
  }

  public long driftLogLines() {
    return driftLog.lines();
  }

  public int queueDepth() {
    return queue.size();
  }

  private void run() {
    while (!stopping || !queue.isEmpty()) {
      Item item;
      try {
        item = queue.poll(20, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      long now = settings.clock().millis();
      if (item != null) {
        try {
          handle(item, now);
        } catch (RuntimeException e) {
          // One unreadable served resource must not stop the ledger; it is counted and said once.
          if (failures++ == 0) {
            System.err.println("error: a live dry-run verdict failed: " + e);
          }
        }
      }
      if (item != null) {
        handled++;
      }
      if (lastEvictMillis == Long.MIN_VALUE || now - lastEvictMillis >= 1_000) {
        evict(now);
        lastEvictMillis = now;
      }
      driftLog.tick(now);
      // A report sees every observation queued before it was asked for, and waits for no later one
      // (the queue is checked after the report is seen: what was queued before it is there by then).
      for (Pending p; (p = control.peek()) != null && (p.after() <= handled || queue.isEmpty()); ) {
        control.poll().task().run();
      }
    }
    for (Pending p; (p = control.poll()) != null; ) {
      p.task().run();
    }
  }

  private void handle(Item item, long now) {
    Workload dst = item.destination();
    Optional<ServedNamespace> found = served.namespace(dst.namespace());
    if (found.isEmpty() || found.get().mode() == ServingMode.OBSERVE) {
      return;
    }
    ServedNamespace s = found.get();
    ServedResources resources = s.byWorkload().get(dst.id());
    if (resources == null) {
      notServed++;
      return;
    }
    Observation o = item.observation();
    Judge.Verdict v = Judge.judge(o, s.mode(), evaluator(dst.id(), resources));
    NamespaceLedger ledger = ledgers.computeIfAbsent(dst.namespace(),
        k -> new NamespaceLedger(settings.maxKeysPerNamespace(), settings.samplesPerKey()));
    ObservedFlow f = o.flow();
    long millis = Math.min(f.time().toEpochMilli(), now);
    if (v.undecided()) {
      ledger.undecided++;
      undecided++;
    }
    String method = item.method();
    String path = item.path();
    Sample sample = sample(o);
    boolean disagreed = false;
    if (v.shadow() != null && (!v.undecided() || v.shadow().envoyKnown())) {
      String version = s.proposalVersion() == null ? NO_VERSION : s.proposalVersion();
      Judge.Layer l = v.shadow();
      ledger.judged(FlowKey.Kind.WOULD_DENY, version, millis, l.disagree());
      disagreed |= l.disagree();
      judged++;
      if (l.denied()) {
        FlowKey key = new FlowKey(FlowKey.Kind.WOULD_DENY, version, dst.id(), item.source().id(), f.port(), method,
            path, l.policy(), l.reason());
        if (!ledger.denied(key, millis, l.evaluatorDenied(), l.envoyDenied(), l.disagree(), sample)) {
          overflowed++;
        }
        wouldDenyTotal++;
      }
    }
    if (v.enforced() != null && (!v.undecided() || v.enforced().envoyKnown())) {
      String version = s.approvedVersion() == null ? NO_VERSION : s.approvedVersion();
      Judge.Layer l = v.enforced();
      ledger.judged(FlowKey.Kind.DRIFT, version, millis, l.disagree());
      disagreed |= l.disagree();
      if (l.denied()) {
        FlowKey key = new FlowKey(FlowKey.Kind.DRIFT, version, dst.id(), item.source().id(), f.port(), method, path,
            l.policy(), l.reason());
        if (!ledger.denied(key, millis, l.evaluatorDenied(), l.envoyDenied(), l.disagree(), sample)) {
          overflowed++;
        }
        driftTotal++;
        driftLog.denied(dst.namespace(), dst.id(), item.source().id(), l.policy(), l.reason(), version, millis, now);
      }
    }
    if (disagreed) {
      disagreements++;
    }
  }

  /** Compiled once per served resources value; a new value (a push) compiles again. */
  private ServedEvaluator evaluator(String workloadId, ServedResources resources) {
    Compiled c = evaluators.get(workloadId);
    if (c == null || c.served() != resources) {
      c = new Compiled(resources, ServedEvaluator.of(resources));
      evaluators.put(workloadId, c);
    }
    return c.evaluator();
  }

  private static Sample sample(Observation o) {
    ObservedFlow f = o.flow();
    String path = f.httpPath();
    if (path != null) {
      int q = path.indexOf('?');
      path = q < 0 ? path : path.substring(0, q);
    }
    String shadow = o.shadowResult() == null ? null
        : o.shadowResult() + (o.shadowPolicyId() == null || o.shadowPolicyId().isEmpty() ? "" : " " + o.shadowPolicyId());
    String principal = f.source().principal() != null ? f.source().principal() : f.source().serviceHost();
    return new Sample(f.time(), f.source().ip(), principal, f.httpMethod(), path, f.responseCode(), o.details(),
        shadow);
  }

  private void evict(long now) {
    long before = now - settings.window().toMillis();
    for (var it = ledgers.entrySet().iterator(); it.hasNext(); ) {
      NamespaceLedger l = it.next().getValue();
      l.evict(before);
      if (l.isEmpty()) {
        it.remove();
      }
    }
  }

  private DryRunReport reportNow(String namespace) {
    ServedNamespace s = served.namespace(namespace).orElse(null);
    ServingMode mode = s == null ? ServingMode.OBSERVE : s.mode();
    String proposal = s == null || mode == ServingMode.OBSERVE ? null
        : s.proposalVersion() == null ? NO_VERSION : s.proposalVersion();
    String approved = s == null || mode != ServingMode.ENFORCE ? null
        : s.approvedVersion() == null ? NO_VERSION : s.approvedVersion();
    NamespaceLedger l = ledgers.get(namespace);
    List<DryRunReport.Flow> wouldDeny = l == null || proposal == null ? List.of()
        : l.flows(FlowKey.Kind.WOULD_DENY, proposal);
    List<DryRunReport.Flow> drift = l == null || approved == null ? List.of() : l.flows(FlowKey.Kind.DRIFT, approved);
    List<Finding> findings = approved == null ? List.of()
        : DriftFindings.of(approved, drift.stream().filter(f -> !FlowKey.OVERFLOW.equals(f.reason())).toList());
    long now = settings.clock().millis();
    return new DryRunReport(namespace, mode, s == null ? null : s.proposalVersion(),
        s == null ? null : s.approvedVersion(), Instant.ofEpochMilli(now - settings.window().toMillis()),
        Instant.ofEpochMilli(now), l == null ? List.of() : l.versions(), wouldDeny, drift,
        l == null ? 0 : l.undecided, findings);
  }

  /** Judges what is queued, then stops; waits at most {@code timeout}. */
  public void close(Duration timeout) throws InterruptedException {
    stopping = true;
    thread.join(timeout.toMillis());
    if (!thread.isAlive()) {
      // A report asked for while the writer stopped: answered here, the state has no writer left.
      for (Pending p; (p = control.poll()) != null; ) {
        p.task().run();
      }
    }
  }

  @Override
  public void close() {
    try {
      close(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
