package io.meshwarden.proposal;

import io.meshwarden.aggregate.TrafficView;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.store.Store;
import io.meshwarden.synthesis.PolicySynthesizer;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one writer of proposals. It samples the cluster snapshot and the learned traffic every
 * {@link Settings#interval} (so a burst of changes costs one recompute: the debounce) and, when
 * either moved, recomputes only the namespaces whose inputs changed: the edges with an end in the
 * namespace, and the index versions of the namespace and of every namespace those edges reach.
 * A new version is recorded in the store (once; a restart that computes the same version records
 * nothing) and logged as one JSON line; listeners hear which namespaces got a new version. Readers
 * get immutable proposals from any thread without locks.
 */
public final class Proposals implements AutoCloseable {
  /** @param interval how often inputs are sampled; changes within it are folded into one recompute */
  public record Settings(PolicySynthesizer.Options synthesis, Duration interval) {
    public Settings {
      Objects.requireNonNull(synthesis, "synthesis");
      Objects.requireNonNull(interval, "interval");
    }

    public static Settings defaults(String trustDomain) {
      PolicySynthesizer.Options d = PolicySynthesizer.Options.defaults();
      return new Settings(new PolicySynthesizer.Options(trustDomain, d.minFlows(), d.since(), d.maxRulesPerWorkload(),
          d.keepProbes(), d.keepDns(), d.keepEntryPoints(), false), Duration.ofMillis(500));
    }
  }

  /** @param recomputed namespaces recomputed in all; @param versions new versions recorded */
  public record Stats(long samples, long recomputed, long versions) {}

  /** What one namespace's proposal was computed from; equal inputs give an equal proposal. */
  private record Inputs(List<ObservedEdge> edges, Map<String, Long> namespaceVersions) {}

  private final Supplier<ClusterSnapshot> cluster;
  private final Supplier<CompletableFuture<TrafficView>> traffic;
  private final Store store;
  private final Clock clock;
  private final Settings settings;
  private final Consumer<String> log;
  private final ScheduledExecutorService writer;
  private final AtomicReference<Map<String, Proposal>> newest = new AtomicReference<>(Map.of());
  private final List<Consumer<Set<String>>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  // Written by the writer thread only.
  private final Map<String, Inputs> inputs = new HashMap<>();
  private final Map<String, String> recorded;
  private long lastCluster = -1;
  private long lastTraffic = -1;
  private final AtomicLong samples = new AtomicLong();
  private final AtomicLong recomputed = new AtomicLong();
  private final AtomicLong versions = new AtomicLong();

  public Proposals(Supplier<ClusterSnapshot> cluster, Supplier<CompletableFuture<TrafficView>> traffic, Store store,
      Clock clock, Settings settings, Consumer<String> log) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.traffic = Objects.requireNonNull(traffic, "traffic");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.log = Objects.requireNonNull(log, "log");
    this.recorded = new HashMap<>(store.newestProposals());
    this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meshwarden-proposals");
      t.setDaemon(true);
      return t;
    });
  }

  /** Calls {@code listener} on the writer thread with the namespaces whose newest version changed. */
  public void onNewVersions(Consumer<Set<String>> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Starts sampling. */
  public Proposals start() {
    long every = settings.interval().toMillis();
    writer.scheduleWithFixedDelay(() -> {
      try {
        sample();
      } catch (RuntimeException e) {
        // The last good proposals stay; the next sample tries again.
        log.accept(new JsonObject().put("event", "proposal_failed").put("reason", String.valueOf(e)).encode());
      }
    }, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Samples now (on the writer thread) and completes with the namespaces that got a new version. */
  public CompletableFuture<Set<String>> refresh() {
    return CompletableFuture.supplyAsync(this::sample, writer);
  }

  /** The namespace's newest proposal, if it has been computed. */
  public Optional<Proposal> newest(String namespace) {
    return Optional.ofNullable(newest.get().get(namespace));
  }

  /** Every namespace's newest proposal. */
  public Map<String, Proposal> all() {
    return newest.get();
  }

  /** A version of the namespace's proposal: the newest, or one recorded in the store. */
  public Optional<Proposal> version(String namespace, String version) {
    Proposal now = newest.get().get(namespace);
    if (now != null && now.version().equals(version)) {
      return Optional.of(now);
    }
    return store.proposal(namespace, version).map(p -> Proposal.fromJson(p.content()));
  }

  public Stats stats() {
    return new Stats(samples.get(), recomputed.get(), versions.get());
  }

  private Set<String> sample() {
    ClusterSnapshot snap = cluster.get();
    TrafficView view;
    try {
      view = traffic.get().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Set.of();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the learned traffic is not available: " + e, e);
    }
    samples.incrementAndGet();
    if (snap.version() == lastCluster && view.version() == lastTraffic) {
      return Set.of();
    }
    lastCluster = snap.version();
    lastTraffic = view.version();
    Map<String, List<ObservedEdge>> byNs = ProposalCalculator.byNamespace(view.traffic().edges());
    Set<String> namespaces = new TreeSet<>(snap.model().namespaces().keySet());
    snap.model().workloads().forEach(w -> namespaces.add(w.namespace()));
    namespaces.addAll(byNs.keySet());
    Map<String, Proposal> next = new TreeMap<>(newest.get());
    next.keySet().retainAll(namespaces);
    inputs.keySet().retainAll(namespaces);
    Set<String> changed = new TreeSet<>();
    long now = clock.millis();
    for (String ns : namespaces) {
      List<ObservedEdge> edges = byNs.getOrDefault(ns, List.of());
      Inputs in = new Inputs(edges, dependencies(ns, edges, snap));
      if (in.equals(inputs.get(ns))) {
        continue;
      }
      inputs.put(ns, in);
      recomputed.incrementAndGet();
      Proposal p = ProposalCalculator.compute(ns, snap.model(), edges, settings.synthesis(), now);
      Proposal before = next.get(ns);
      if (before != null && before.version().equals(p.version())) {
        // Same policy, fresher coverage: readers see the new counts, the version stays.
        next.put(ns, new Proposal(ns, p.version(), p.policies(), p.notes(), p.refusal(), before.createdAtMillis()));
        continue;
      }
      next.put(ns, p);
      changed.add(ns);
      if (!p.version().equals(recorded.get(ns))) {
        store.putProposal(new Store.Proposal(ns, p.version(), p.toJson(), now));
        recorded.put(ns, p.version());
        versions.incrementAndGet();
        log.accept(new JsonObject().put("event", "proposal").put("namespace", ns).put("version", p.version())
            .put("workloads", p.policies().policies().size())
            .put("without_evidence", p.policies().evidence().notEnoughEvidence().size()).encode());
      }
    }
    newest.set(Map.copyOf(next));
    if (!changed.isEmpty()) {
      Set<String> done = Set.copyOf(changed);
      listeners.forEach(l -> l.accept(done));
    }
    return changed;
  }

  /** The index versions a namespace's proposal depends on: its own and those of its peers' namespaces. */
  private static Map<String, Long> dependencies(String ns, List<ObservedEdge> edges, ClusterSnapshot snap) {
    Map<String, Long> out = new TreeMap<>();
    out.put(ns, snap.namespaceVersion(ns));
    for (ObservedEdge e : edges) {
      for (PeerRef p : new PeerRef[] {e.key().source(), e.key().destination()}) {
        String other = ProposalCalculator.namespaceOf(p);
        if (other != null) {
          out.computeIfAbsent(other, snap::namespaceVersion);
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    writer.shutdownNow();
  }
}
