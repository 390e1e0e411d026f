package io.meshwarden.aggregate;

import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.IpOwner;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import io.meshwarden.store.Flush;
import io.meshwarden.store.Store;
import io.meshwarden.store.StoredEdge;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.Endpoint;
import io.meshwarden.traffic.IdentityResolver;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.ObservedFlow;
import io.meshwarden.traffic.PathTemplates;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficAggregator;
import io.meshwarden.traffic.TrafficModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one writer of learned traffic. Producers (ALS streams, flow replay) hand it batches through a
 * queue bounded in entries; its thread checks each observation against the current cluster
 * snapshot, folds it into an edge, evicts hourly buckets older than the retention window and
 * flushes changed edges to the store every flush interval (and on close), so a crash loses at most
 * one interval. Every entry the queue turns away is counted.
 */
public final class LiveAggregator implements AutoCloseable {

  /**
   * @param queueCapacity entries that may wait for the writer
   * @param retention how long hourly buckets are kept; an edge with no observation inside the
   *     window is forgotten
   * @param flushInterval how often changed edges are written to the store
   */
  public record Settings(int queueCapacity, Duration retention, Duration flushInterval, Clock clock) {
    public Settings {
      if (queueCapacity < 1) {
        throw new IllegalArgumentException("queue capacity must be positive");
      }
      if (retention.toHours() < 1) {
        throw new IllegalArgumentException("retention must be at least one hour");
      }
      if (flushInterval.isNegative() || flushInterval.isZero()) {
        throw new IllegalArgumentException("flush interval must be positive");
      }
      Objects.requireNonNull(clock, "clock");
    }

    public static Settings defaults() {
      return new Settings(1 << 20, Duration.ofDays(30), Duration.ofSeconds(2), Clock.systemUTC());
    }
  }

  private record Batch(List<Observation> observations) {}

  private record SourceDone(Flush.IngestedSource source) {}

  private static final Object STOP = new Object();

  private final Store store;
  private final Settings settings;
  private final IngestCounters counters;
  private final AcceptedObservations listener;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Semaphore room;
  private final ConcurrentLinkedQueue<Runnable> control = new ConcurrentLinkedQueue<>();
  private final AtomicReference<ClusterSnapshot> latestSnapshot = new AtomicReference<>();
  private final Thread thread;
  private volatile Throwable failure;
  private volatile Throwable storeError;
  private volatile long flushes;
  private volatile long lastFlushMillis;

  // Writer thread only.
  private final Map<EdgeKey, LiveEdge> edges = new HashMap<>();
  private final Map<PairKey, int[]> pathsPerPair = new HashMap<>();
  private final List<Flush.EdgeId> removed = new ArrayList<>();
  private final List<Flush.IngestedSource> sources = new ArrayList<>();
  private final Map<String, PeerRef> workloadPeers = new HashMap<>();
  private final Map<String, Workload> workloadsById = new HashMap<>();
  private final Map<String, Workload> workloadsByPod = new HashMap<>();
  // Equal path templates and RBAC result keys shared between edges: a million edges would otherwise
  // hold a million copies of "via_upstream". Bounded, since the values come from the data plane;
  // past the bound new values are kept as they come.
  private final Map<Object, Object> canonical = new HashMap<>();
  private ClusterSnapshot snapshot;
  private IdentityResolver resolver;
  private long newestMillis = Long.MIN_VALUE;
  private long evictedBeforeHour = Long.MIN_VALUE;
  private long pendingEvictBeforeHour = Long.MIN_VALUE;
  private long version;
  private TrafficView view;

  private record PairKey(PeerRef source, PeerRef destination, Protocol protocol, int port) {}

  /** Loads the stored edges; {@link #start()} starts the writer thread. */
  public LiveAggregator(Store store, Settings settings, IngestCounters counters) {
    this(store, settings, counters, AcceptedObservations.NONE);
  }

  /** As above; {@code listener} hears every accepted ALS observation (not replayed files) on the writer thread. */
  public LiveAggregator(Store store, Settings settings, IngestCounters counters, AcceptedObservations listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.counters = Objects.requireNonNull(counters, "counters");
    this.room = new Semaphore(settings.queueCapacity());
    for (StoredEdge s : store.loadEdgeTotals()) {
      EdgeKey key = new EdgeKey(peer(s.source()), peer(s.destination()), Protocol.parse(s.protocol()), s.port(),
          s.method().isEmpty() ? null : TrafficAggregator.canonicalMethod(s.method()),
          s.path().isEmpty() ? null : (String) canonical(s.path()));
      edges.put(key, LiveEdge.restore(key, s, this::canonical));
      newestMillis = Math.max(newestMillis, s.lastSeenMillis());
      if (key.method() != null) {
        pathsPerPair.computeIfAbsent(new PairKey(key.source(), key.destination(), key.protocol(), key.port()),
            k -> new int[1])[0]++;
      }
    }
    this.thread = new Thread(this::run, "meshwarden-aggregator");
    thread.setDaemon(true);
  }

  /** Values kept shared at most; beyond, each edge keeps its own copy. */
  static final int MAX_CANONICAL = 1 << 16;

  private Object canonical(Object value) {
    Object c = canonical.get(value);
    if (c != null) {
      return c;
    }
    if (canonical.size() < MAX_CANONICAL) {
      canonical.put(value, value);
    }
    return value;
  }

  private static PeerRef peer(String id) {
    if (id.equals(PeerRef.INTERNET.id())) {
      return PeerRef.INTERNET;
    }
    if (id.equals(PeerRef.INTERNET_IPV6.id())) {
      return PeerRef.INTERNET_IPV6;
    }
    return id.startsWith("external:") ? new PeerRef(PeerRef.Type.EXTERNAL, id) : PeerRef.workload(id);
  }

  public LiveAggregator start() {
    thread.start();
    return this;
  }

  /** A new cluster state; the writer picks it up before its next observation. */
  public void snapshot(ClusterSnapshot s) {
    latestSnapshot.set(s);
  }

  /**
   * Hands a batch to the writer, waiting up to {@code timeout} for room; a batch that finds none is
   * dropped whole and counted. Producers that wait stop reading their stream, which is how gRPC
   * flow control pushes back on Envoy.
   */
  public boolean offer(List<Observation> batch, long timeout, TimeUnit unit) throws InterruptedException {
    if (batch.isEmpty()) {
      return true;
    }
    int n = Math.min(batch.size(), settings.queueCapacity());
    if (batch.size() > settings.queueCapacity() || !room.tryAcquire(n, timeout, unit)) {
      counters.dropped(batch.size());
      return false;
    }
    queue.add(new Batch(batch));
    return true;
  }

  /** Hands a batch to the writer, waiting for room as long as it takes (replay of our own files). */
  public void put(List<Observation> batch) throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    if (batch.size() > settings.queueCapacity()) {
      throw new IllegalArgumentException("batch larger than the queue");
    }
    room.acquire(batch.size());
    queue.add(new Batch(batch));
  }

  /** Marks a flow file done: it is recorded with the flush that writes its last flows. */
  public void sourceDone(Flush.IngestedSource source) {
    queue.add(new SourceDone(source));
  }

  /** Entries waiting for the writer. */
  public int queueDepth() {
    return settings.queueCapacity() - room.availablePermits();
  }

  public int queueCapacity() {
    return settings.queueCapacity();
  }

  /** Flushes that wrote something to the store. */
  public long flushes() {
    return flushes;
  }

  /** The learned traffic as the writer has it now (queued observations not yet included). */
  public CompletableFuture<TrafficView> view() {
    CompletableFuture<TrafficView> f = new CompletableFuture<>();
    if (failure != null) {
      f.completeExceptionally(failure);
      return f;
    }
    control.add(() -> f.complete(currentView()));
    return f;
  }

  /** Hourly buckets held in memory, not yet written to the store (for tests of the layout). */
  CompletableFuture<Integer> pendingBuckets() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    queue.add((Runnable) () -> f.complete(edges.values().stream().mapToInt(LiveEdge::pendingBuckets).sum()));
    return f;
  }

  /** Waits until everything queued so far is folded in and flushed. */
  public CompletableFuture<Void> flush() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    queue.add((Runnable) () -> {
      try {
        flushNow();
        f.complete(null);
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  /** The last flush's store error, or null when the last flush succeeded. */
  public Throwable storeError() {
    return storeError;
  }

  /** Why the writer stopped, if it failed. */
  public Throwable failure() {
    return failure;
  }

  private void run() {
    long nextFlush = System.nanoTime() + settings.flushInterval().toNanos();
    try {
      while (true) {
        Object item = queue.poll(20, TimeUnit.MILLISECONDS);
        if (item == STOP) {
          break;
        }
        if (item != null) {
          handle(item);
        }
        for (Runnable r; (r = control.poll()) != null; ) {
          r.run();
        }
        if (System.nanoTime() - nextFlush >= 0) {
          try {
            flushNow();
            storeError = null;
          } catch (io.meshwarden.store.StoreException e) {
            // Keep the edges dirty and try again next interval: a full disk must not stop ingestion.
            if (storeError == null) {
              System.err.println("error: " + e.getMessage() + " (retrying every flush interval)");
            }
            storeError = e;
          }
          nextFlush = System.nanoTime() + settings.flushInterval().toNanos();
        }
      }
      // Whatever arrived before close() still counts.
      for (Object item; (item = queue.poll()) != null; ) {
        if (item != STOP) {
          handle(item);
        }
      }
      flushNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failure = e;
      System.err.println("error: the aggregator stopped: " + e.getMessage());
    } finally {
      for (Runnable r; (r = control.poll()) != null; ) {
        r.run();
      }
    }
  }

  private void handle(Object item) {
    if (item instanceof Batch b) {
      try {
        refreshSnapshot();
        for (Observation o : b.observations()) {
          fold(o);
        }
      } finally {
        room.release(b.observations().size());
      }
    } else if (item instanceof SourceDone s) {
      sources.add(s.source());
    } else if (item instanceof Runnable r) {
      r.run();
    }
  }

  private void refreshSnapshot() {
    ClusterSnapshot s = latestSnapshot.get();
    if (s != null && s != snapshot) {
      snapshot = s;
      // Pod IPs are status, not spec: the resolver needs the model with them filled in.
      resolver = IdentityResolver.of(s.modelWithStatus());
      workloadPeers.clear();
      workloadsById.clear();
      workloadsByPod.clear();
      for (Workload w : s.model().workloads()) {
        workloadsById.put(w.id(), w);
        for (String pod : s.status(w).podNames()) {
          workloadsByPod.put(w.namespace() + "/" + pod, w);
        }
      }
    }
  }

  /** The workload that held {@code ip} when the flow happened, or else its current (or last) one. */
  private String ownerAt(String ip, Instant at) {
    Optional<IpOwner> o = snapshot.podIps().resolve(ip, at);
    if (o.isEmpty()) {
      o = snapshot.podIps().resolve(ip, null);
    }
    return o.map(IpOwner::workloadId).orElse(null);
  }

  /**
   * Resolves one end; an address the current pods do not explain may still be a pod that is gone
   * (or whose address moved on): the index's address history names the workload it belonged to.
   */
  private PeerRef peerOf(Endpoint e, Instant at) {
    IdentityResolver.Resolution r = resolver.resolve(e);
    PeerRef p = r.peer();
    if (p != null && !p.isWorkload() && "address".equals(r.via()) && e.ip() != null) {
      Optional<IpOwner> o = snapshot.podIps().resolve(e.ip(), at);
      if (o.isPresent() && workloadsById.containsKey(o.get().workloadId())) {
        return workloadPeers.computeIfAbsent(o.get().workloadId(), PeerRef::workload);
      }
    }
    return p;
  }

  private void fold(Observation o) {
    ObservedFlow f = o.flow();
    if (snapshot == null) {
      // Producers only start once the first state is loaded; nothing can resolve without one.
      counters.countRefused(IngestCounters.NODE_UNKNOWN);
      return;
    }
    PeerRef src;
    PeerRef dst;
    Workload w = null;
    if (o.node() != null) {
      w = nodeWorkload(o.node());
      if (w == null) {
        counters.countRefused(IngestCounters.NODE_UNKNOWN);
        return;
      }
      String local = f.destination().ip();
      if (local == null) {
        counters.countRefused(IngestCounters.NO_LOCAL_ADDRESS);
        return;
      }
      String owner = ownerAt(local, f.time());
      if (owner == null) {
        counters.countRefused(IngestCounters.LOCAL_UNKNOWN);
        return;
      }
      if (!owner.equals(w.id())) {
        counters.countRefused(IngestCounters.LOCAL_OTHER);
        return;
      }
      dst = workloadPeers.computeIfAbsent(w.id(), PeerRef::workload);
      src = peerOf(f.source(), f.time());
    } else {
      src = peerOf(f.source(), f.time());
      dst = peerOf(f.destination(), f.time());
    }
    if (src == null || dst == null) {
      counters.countUnresolved();
      return;
    }
    if (o.node() != null) {
      counters.countAccepted();
    } else {
      counters.countReplayed();
    }
    long now = settings.clock().millis();
    // A sidecar's clock (or a forged entry) must not move the retention window into the future.
    long millis = Math.min(f.time().toEpochMilli(), now);
    String method = TrafficAggregator.canonicalMethod(f.httpMethod());
    String path = method == null ? null : (String) canonical(PathTemplates.template(f.httpPath()));
    EdgeKey key = new EdgeKey(src, dst, f.protocol(), f.port(), method, path);
    LiveEdge e = edges.get(key);
    if (e == null) {
      if (method != null && !admitPath(key)) {
        key = new EdgeKey(src, dst, f.protocol(), f.port(), method, TrafficAggregator.OTHER_PATHS);
        e = edges.get(key);
      }
      if (e == null) {
        e = new LiveEdge(key, millis, o.node() != null ? o.node().origin() : f.origin());
        edges.put(key, e);
      }
    }
    e.add(millis, f.bytes(), o.counted(), f.verdict() == ObservedFlow.Verdict.DENIED, f.observer(), o.shadowResult(),
        o.shadowPolicyId(), o.details(), this::canonical);
    if (o.node() != null) {
      listener.accepted(o, src, w, key.method(), key.pathTemplate());
    }
    newestMillis = Math.max(newestMillis, millis);
    version++;
  }

  private boolean admitPath(EdgeKey key) {
    int[] n = pathsPerPair.computeIfAbsent(new PairKey(key.source(), key.destination(), key.protocol(), key.port()),
        k -> new int[1]);
    if (n[0] >= TrafficAggregator.DEFAULT_MAX_PATHS_PER_PAIR) {
      return false;
    }
    n[0]++;
    return true;
  }

  /**
   * The workload a stream's node belongs to: its pod name decides (NAME is authoritative; the
   * index knows which workload each pod belongs to through its owners); the WORKLOAD_NAME hint is used only when no workload's pods fit the pod name, and then must name
   * exactly one workload of the namespace with the node's service account.
   */
  private Workload nodeWorkload(StreamNode node) {
    if (node.resolvedIn(snapshot.version())) {
      return node.workload();
    }
    NodeIdentity id = node.identity();
    Workload found = id.namespace() == null || id.podName() == null ? null
        : workloadsByPod.get(id.namespace() + "/" + id.podName());
    if (found == null && id.namespace() != null && id.podName() != null) {
      // A pod the index has not seen (yet): its name's shape against the namespace's workloads.
      IdentityResolver.Resolution r = resolver.resolve(new Endpoint(null, 0, id.namespace(), id.podName(), id.labels(),
          id.serviceAccount(), null, null, null));
      if (r.isResolved() && "pod-name".equals(r.via())) {
        found = workloadsById.get(r.peer().id());
      }
    }
    if (found == null && id.namespace() != null && id.workloadHint() != null) {
      List<Workload> hinted = snapshot.model().workloads().stream()
          .filter(w -> w.namespace().equals(id.namespace()) && w.name().equals(id.workloadHint())
              && (id.serviceAccount() == null || w.serviceAccount().equals(id.serviceAccount())))
          .toList();
      found = hinted.size() == 1 ? hinted.get(0) : null;
    }
    node.resolved(snapshot.version(), found);
    return found;
  }

  private TrafficView currentView() {
    if (view == null || view.version() != version) {
      List<ObservedEdge> out = new ArrayList<>(edges.size());
      Map<EdgeKey, List<StoredEdge.Decision>> decisions = new HashMap<>();
      for (LiveEdge e : edges.values()) {
        out.add(e.observed());
        List<StoredEdge.Decision> d = e.decisions();
        if (!d.isEmpty()) {
          decisions.put(e.key, d);
        }
      }
      out.sort((a, b) -> a.key().compareTo(b.key()));
      long flows = counters.accepted() + counters.replayedFlows();
      view = new TrafficView(version, new TrafficModel(out, flows, List.of(), 0, Map.of()), decisions);
    }
    return view;
  }

  private void evict() {
    if (newestMillis == Long.MIN_VALUE) {
      return;
    }
    // The window ends at the newest observation (never later than now): a replayed recording keeps
    // its edges, and live traffic moves the window with the wall clock.
    long before = Math.floorDiv(newestMillis, 3_600_000L) - settings.retention().toHours() + 1;
    if (before <= evictedBeforeHour) {
      return;
    }
    evictedBeforeHour = before;
    pendingEvictBeforeHour = before;
    long beforeMillis = before * 3_600_000L;
    for (Iterator<LiveEdge> it = edges.values().iterator(); it.hasNext(); ) {
      LiveEdge e = it.next();
      if (e.lastMillis < beforeMillis) {
        it.remove();
        EdgeKey k = e.key;
        removed.add(new Flush.EdgeId(k.source().id(), k.destination().id(), k.protocol().name(), k.port(), k.method(),
            k.pathTemplate()));
        if (k.method() != null) {
          int[] n = pathsPerPair.get(new PairKey(k.source(), k.destination(), k.protocol(), k.port()));
          if (n != null && --n[0] <= 0) {
            pathsPerPair.remove(new PairKey(k.source(), k.destination(), k.protocol(), k.port()));
          }
        }
        version++;
      } else {
        // Only buckets not yet flushed are here; the view holds none, so it is unchanged.
        e.evictBefore(before);
      }
    }
  }

  private void flushNow() {
    evict();
    List<Flush.Changed> changed = new ArrayList<>();
    List<LiveEdge> written = new ArrayList<>();
    for (LiveEdge e : edges.values()) {
      if (e.dirty) {
        changed.add(new Flush.Changed(e.stored()));
        written.add(e);
      }
    }
    Flush flush = new Flush(changed, removed, pendingEvictBeforeHour, sources);
    if (!flush.isEmpty()) {
      store.write(flush);
      flushes++;
    }
    for (LiveEdge e : written) {
      e.flushed();
    }
    removed.clear();
    sources.clear();
    pendingEvictBeforeHour = Long.MIN_VALUE;
    lastFlushMillis = settings.clock().millis();
  }

  public long lastFlushMillis() {
    return lastFlushMillis;
  }

  /** Folds in what is queued, flushes, and stops the writer; waits at most {@code timeout}. */
  public void close(Duration timeout) throws InterruptedException {
    if (thread.isAlive()) {
      queue.add(STOP);
      thread.join(timeout.toMillis());
    }
  }

  @Override
  public void close() {
    try {
      close(Duration.ofSeconds(8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
