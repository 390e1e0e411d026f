package io.meshwarden.index;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.meshwarden.ingest.manifest.Converted;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.ingest.manifest.ObjectConverter;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Origin;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The live cluster state, changed one object at a time. Sources (informers, manifest files) call
 * {@link #apply}, {@link #delete} and {@link #resync} from any thread; those only enqueue. One
 * writer thread converts each object with the same {@link ObjectConverter} the file reader uses,
 * keeps the last good version of every object (a bad version becomes a {@link Diagnostic} on
 * that object), and after a quiet period (debounce, bounded by a maximum delay) rebuilds only the
 * namespaces that changed and publishes an immutable {@link ClusterSnapshot}.
 */
public final class LiveIndex implements ClusterState, AutoCloseable {
  /**
   * @param quiet publish once no event came for this long
   * @param maxDelay but never later than this after the first unpublished event
   * @param ipRetention how long a released pod IP still resolves to its former owner
   * @param defaultNamespace where namespaced objects without a namespace land
   */
  public record Options(Duration quiet, Duration maxDelay, Duration ipRetention, String defaultNamespace,
      Clock clock) {
    public Options {
      Objects.requireNonNull(quiet, "quiet");
      Objects.requireNonNull(maxDelay, "maxDelay");
      Objects.requireNonNull(ipRetention, "ipRetention");
      Objects.requireNonNull(defaultNamespace, "defaultNamespace");
      Objects.requireNonNull(clock, "clock");
    }

    public static Options defaults() {
      return new Options(Duration.ofMillis(20), Duration.ofMillis(250), Duration.ofMinutes(10), "default",
          Clock.systemUTC());
    }
  }

  /** Counters for metrics; read from any thread. */
  public record Stats(long events, long invalidObjects, long publications, long namespacesRebuilt,
      long lastRecomputeNanos, int queued, long listenerFailures) {}

  private final Options options;
  private final ObjectConverter converter = new ObjectConverter(false);
  private final ScheduledThreadPoolExecutor writer;
  private final ExecutorService notifier;
  private final AtomicReference<ClusterSnapshot> current = new AtomicReference<>();
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong invalid = new AtomicLong();
  private final AtomicLong publications = new AtomicLong();
  private final AtomicLong rebuilt = new AtomicLong();
  private final AtomicLong lastRecompute = new AtomicLong();
  private final AtomicLong listenerFailures = new AtomicLong();

  // Writer-thread state from here on.
  private final Map<String, NamespaceState> namespaces = new HashMap<>();
  private final ClusterScope cluster = new ClusterScope();
  private final Set<String> dirty = new HashSet<>();
  private final IpHistory ips;
  private boolean publishScheduled;
  private long firstUnpublished;
  private long lastEvent;
  private Instant lastPrune = Instant.EPOCH;

  public LiveIndex(Options options) {
    this.options = options;
    this.ips = new IpHistory(options.ipRetention());
    this.writer = new ScheduledThreadPoolExecutor(1, daemon("meshwarden-index"));
    this.notifier = Executors.newSingleThreadExecutor(daemon("meshwarden-index-notify"));
    current.set(new ClusterSnapshot(0, ClusterModel.builder().build(), Map.of(), PodIpIndex.EMPTY, List.of(),
        Map.of()));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public ClusterSnapshot current() {
    return current.get();
  }

  @Override
  public Subscription subscribe(Predicate<String> namespaces, Consumer<SnapshotChange> listener) {
    // Only publications after this call: one already queued for delivery is not news to it.
    Subscriber s = new Subscriber(namespaces, listener, current.get().version());
    subscribers.add(s);
    return () -> subscribers.remove(s);
  }

  /** Sets (adds or replaces) an object as an informer delivers it. */
  public void apply(HasMetadata object) {
    ObjectKey key = keyOf(object);
    if (key == null) {
      invalid.incrementAndGet();
      return;
    }
    Origin origin = origin(key);
    apply(key, origin, warn -> converter.convert(object, options.defaultNamespace(), origin, warn));
  }

  /** Sets an object whose conversion the writer runs (the manifest reader's objects). */
  public void apply(ObjectKey key, Origin origin, ManifestLoader.Conversion conversion) {
    writer.execute(() -> {
      applyNow(key, origin, conversion);
      changed();
    });
  }

  /** Removes an object. */
  public void delete(ObjectKey key) {
    writer.execute(() -> {
      if (entries(key).remove(key) != null) {
        markDirty(key);
      }
      events.incrementAndGet();
      changed();
    });
  }

  /** Removes an object as an informer delivers it. */
  public void delete(HasMetadata object) {
    ObjectKey key = keyOf(object);
    if (key != null) {
      delete(key);
    }
  }

  /**
   * Makes {@code objects} the complete set of objects of {@code kind} (in {@code namespace}, or
   * everywhere when null): the others of that kind are removed, these applied.
   */
  public void resync(String kind, String namespace, Collection<? extends HasMetadata> objects) {
    List<HasMetadata> copy = List.copyOf(objects);
    writer.execute(() -> {
      Set<ObjectKey> keep = new HashSet<>();
      for (HasMetadata o : copy) {
        ObjectKey key = keyOf(o);
        if (key == null) {
          invalid.incrementAndGet();
          continue;
        }
        keep.add(key);
        Origin origin = origin(key);
        applyNow(key, origin, warn -> converter.convert(o, options.defaultNamespace(), origin, warn));
      }
      List<Map<ObjectKey, Entry>> scopes = new ArrayList<>();
      scopes.add(cluster.entries);
      for (NamespaceState s : namespaces.values()) {
        if (namespace == null || s.name.equals(namespace)) {
          scopes.add(s.entries);
        }
      }
      for (Map<ObjectKey, Entry> scope : scopes) {
        for (ObjectKey k : List.copyOf(scope.keySet())) {
          if (k.kind().equals(kind) && !keep.contains(k)) {
            scope.remove(k);
            markDirty(k);
          }
        }
      }
      changed();
    });
  }

  /** Applies everything queued so far and publishes at once, skipping the debounce. */
  public CompletableFuture<ClusterSnapshot> flush() {
    CompletableFuture<ClusterSnapshot> f = new CompletableFuture<>();
    writer.execute(() -> {
      try {
        publish();
        f.complete(current.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  public Stats stats() {
    return new Stats(events.get(), invalid.get(), publications.get(), rebuilt.get(), lastRecompute.get(),
        writer.getQueue().size(), listenerFailures.get());
  }

  @Override
  public void close() {
    writer.shutdownNow();
    notifier.shutdownNow();
  }

  private ObjectKey keyOf(HasMetadata o) {
    if (o == null || o.getMetadata() == null || o.getMetadata().getName() == null || o.getKind() == null) {
      return null;
    }
    String ns = o.getMetadata().getNamespace();
    ObjectKey key = ObjectKey.of(o.getKind(), ns == null || ns.isEmpty() ? options.defaultNamespace() : ns,
        o.getMetadata().getName());
    // Istio and Gateway API both have a Gateway: the group tells them apart.
    String apiVersion = o.getApiVersion();
    if ("Gateway".equals(o.getKind()) && apiVersion != null && apiVersion.contains("/")) {
      key = new ObjectKey("Gateway." + apiVersion.substring(0, apiVersion.indexOf('/')), key.namespace(), key.name());
    }
    return key;
  }

  /** Where a live object came from, for diagnostics and findings: the cluster, by kind and name. */
  static Origin origin(ObjectKey key) {
    return new Origin("cluster:" + key, 0);
  }

  private Map<ObjectKey, Entry> entries(ObjectKey key) {
    if (key.clusterScoped()) {
      return cluster.entries;
    }
    NamespaceState s = namespaces.get(key.namespace());
    return s == null ? new HashMap<>() : s.entries;
  }

  private void applyNow(ObjectKey key, Origin origin, ManifestLoader.Conversion conversion) {
    events.incrementAndGet();
    List<Diagnostic> diagnostics = new ArrayList<>();
    Converted converted = null;
    String error = null;
    String errorCode = ManifestException.INVALID_OBJECT;
    try {
      converted = conversion.convert(w -> diagnostics.add(Diagnostic.of(key, w)));
    } catch (ManifestException e) {
      error = e.getMessage();
      errorCode = e.code();
    } catch (RuntimeException e) {
      // A converter bug must not stop the writer: the object is refused like a bad one.
      error = origin + ": cannot convert " + key + ": " + e;
    }
    Map<ObjectKey, Entry> scope = key.clusterScoped() ? cluster.entries
        : namespaces.computeIfAbsent(key.namespace(), NamespaceState::new).entries;
    Entry old = scope.get(key);
    Entry next;
    if (error != null) {
      invalid.incrementAndGet();
      Converted good = old == null ? null : old.good();
      diagnostics.add(new Diagnostic(key, errorCode, Diagnostic.Severity.ERROR, origin,
          error + (good != null ? " (the last good version stays in force)" : "")));
      next = new Entry(good, diagnostics);
    } else if (converted instanceof Converted.Unused u) {
      // Read but not evaluated (another group's kind of the same name, such as Antrea's
      // ClusterNetworkPolicy): say so rather than drop it silently.
      diagnostics.add(new Diagnostic(key, "not-evaluated", Diagnostic.Severity.WARNING, origin,
          u.kind() + " is read but not evaluated yet: its rules do not count in any decision"));
      next = new Entry(null, diagnostics);
    } else {
      next = new Entry(converted, diagnostics);
    }
    if (next.equals(old)) {
      return;
    }
    scope.put(key, next);
    markDirty(key);
  }

  private void markDirty(ObjectKey key) {
    if (key.clusterScoped()) {
      cluster.dirty = true;
    } else {
      dirty.add(key.namespace());
    }
  }

  /** Debounce: publish after {@code quiet} without events, at most {@code maxDelay} after the first. */
  private void changed() {
    lastEvent = System.nanoTime();
    if (!publishScheduled) {
      publishScheduled = true;
      firstUnpublished = lastEvent;
      writer.schedule(this::publishWhenQuiet, options.quiet().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void publishWhenQuiet() {
    long now = System.nanoTime();
    long sinceLast = now - lastEvent;
    long quiet = options.quiet().toNanos();
    if (sinceLast < quiet && now - firstUnpublished < options.maxDelay().toNanos()) {
      writer.schedule(this::publishWhenQuiet, quiet - sinceLast, TimeUnit.NANOSECONDS);
      return;
    }
    publish();
  }

  private void publish() {
    publishScheduled = false;
    long start = System.nanoTime();
    Instant now = options.clock().instant();
    ClusterSnapshot previous = current.get();
    Set<String> spec = new TreeSet<>();
    Set<String> status = new TreeSet<>();
    for (String ns : dirty) {
      NamespaceState s = namespaces.get(ns);
      if (s == null) {
        continue;
      }
      NamespaceView before = s.view;
      NamespaceView after = s.rebuild(now, ips);
      rebuilt.incrementAndGet();
      if (!after.sameSpec(before)) {
        spec.add(ns);
      } else if (!after.status().equals(before.status()) || !after.diagnostics().equals(before.diagnostics())) {
        status.add(ns);
      }
      s.view = after;
      if (s.entries.isEmpty()) {
        namespaces.remove(ns);
      }
    }
    dirty.clear();
    boolean clusterChanged = cluster.dirty && cluster.rebuild();
    cluster.dirty = false;
    if (Duration.between(lastPrune, now).compareTo(options.ipRetention().dividedBy(4)) > 0) {
      ips.prune(now);
      lastPrune = now;
    }
    PodIpIndex podIps = ips.publish();
    if (spec.isEmpty() && status.isEmpty() && !clusterChanged && podIps == previous.podIps()) {
      return;
    }
    long version = previous.version() + 1;
    ClusterModel model = spec.isEmpty() && !clusterChanged ? previous.model() : assemble();
    Map<String, Long> nsVersions = new HashMap<>(previous.namespaceVersions());
    spec.forEach(ns -> nsVersions.put(ns, version));
    status.forEach(ns -> nsVersions.put(ns, version));
    nsVersions.keySet().retainAll(namespaces.keySet());
    Map<String, Map<String, WorkloadStatus>> statusByNs = new HashMap<>();
    List<Diagnostic> diagnostics = new ArrayList<>(cluster.diagnostics);
    for (String ns : new TreeSet<>(namespaces.keySet())) {
      NamespaceView v = namespaces.get(ns).view;
      statusByNs.put(ns, v.status());
      diagnostics.addAll(v.diagnostics());
    }
    ClusterSnapshot next = new ClusterSnapshot(version, model, statusByNs, podIps, diagnostics, nsVersions);
    current.set(next);
    publications.incrementAndGet();
    lastRecompute.set(System.nanoTime() - start);
    SnapshotChange change = new SnapshotChange(previous, next, spec, status, clusterChanged);
    notifier.execute(() -> notify(change));
  }

  private ClusterModel assemble() {
    ClusterModel.Builder b = ClusterModel.builder();
    cluster.declared.values().forEach(b::namespace);
    cluster.adminPolicies.forEach(b::adminNetworkPolicy);
    cluster.clusterPolicies.forEach(b::clusterNetworkPolicy);
    cluster.nodes.forEach(b::node);
    cluster.meshResources.forEach(b::meshResource);
    for (String ns : new TreeSet<>(namespaces.keySet())) {
      NamespaceView v = namespaces.get(ns).view;
      v.workloads().forEach(b::workload);
      v.services().forEach(b::service);
      v.serviceAccounts().forEach(b::serviceAccount);
      v.ingressRoutes().forEach(b::ingressRoute);
      v.networkPolicies().forEach(b::networkPolicy);
      v.meshResources().forEach(b::meshResource);
    }
    return b.build();
  }

  private void notify(SnapshotChange change) {
    for (Subscriber s : subscribers) {
      boolean wanted = change.clusterScoped() || change.specNamespaces().stream().anyMatch(s.namespaces)
          || change.statusNamespaces().stream().anyMatch(s.namespaces);
      if (!wanted || change.current().version() <= s.since()) {
        continue;
      }
      try {
        s.listener.accept(change);
      } catch (RuntimeException e) {
        listenerFailures.incrementAndGet();
      }
    }
  }

  private record Subscriber(Predicate<String> namespaces, Consumer<SnapshotChange> listener, long since) {}
}
