package io.meshwarden.xds;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.BindableService;
import io.grpc.Status;
import io.meshwarden.sidecar.ServedResources;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The policy ADS server: java-control-plane's V3 aggregated discovery (state of the world; delta only
 * when {@link Settings#delta}) over a {@link PolicyCache}. A node's group comes from its metadata and
 * the live index ({@link NodeGroups}); the group's snapshot is built on its first connect and shared
 * by every sidecar of the workload. {@link #changed} schedules a debounced rebuild of the groups a
 * change touches; each rebuilt snapshot is validated before it is set, and an invalid one is refused,
 * logged with its reason and counted while the last good one stays in force. A NACK is logged with
 * its {@code error_detail}, counted, and parks that node's watch until the group's snapshot changes.
 *
 * <p>Log lines are JSON objects, one per event, written to the injected sink.
 */
public final class AdsServer implements AutoCloseable {
  /**
   * @param delta whether delta xDS streams are accepted (state of the world always is)
   * @param quiet how long changes must be quiet before a push (Istio: 100 ms)
   * @param maxDelay the longest a change waits under a steady stream of changes (Istio: 10 s)
   */
  public record Settings(boolean delta, Duration quiet, Duration maxDelay) {
    public Settings {
      Objects.requireNonNull(quiet, "quiet");
      Objects.requireNonNull(maxDelay, "maxDelay");
    }

    public static Settings defaults() {
      return new Settings(false, Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    public Settings withDelta(boolean on) {
      return new Settings(on, quiet, maxDelay);
    }
  }

  /** Counters for {@code /metrics} and tests. */
  public record Stats(long refusedStreams, long refusedSnapshots, long nacks, long parkedNacks, long responses,
      long pushes, long groups) {}

  private final Settings settings;
  private final WorkloadLookup lookup;
  private final SnapshotBuilder builder;
  private final Consumer<String> log;
  private final PolicyCache cache = new PolicyCache();
  private final V3DiscoveryServer server;
  private final Map<Long, String> nodeOfStream = new ConcurrentHashMap<>();
  private final Set<GroupKey> dirty = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService pusher;
  private final Debouncer debouncer;
  private final AtomicLong refusedStreams = new AtomicLong();
  private final AtomicLong nacks = new AtomicLong();
  private final AtomicLong pushes = new AtomicLong();
  private volatile boolean ready;

  public AdsServer(Settings settings, WorkloadLookup lookup, SnapshotBuilder builder, Consumer<String> log) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.lookup = Objects.requireNonNull(lookup, "lookup");
    this.builder = Objects.requireNonNull(builder, "builder");
    this.log = Objects.requireNonNull(log, "log");
    this.server = new V3DiscoveryServer(new Callbacks(), cache);
    this.pusher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meshwarden-xds-push");
      t.setDaemon(true);
      return t;
    });
    this.debouncer = new Debouncer(pusher, settings.quiet(), settings.maxDelay(), this::pushDirty);
  }

  /** The gRPC service to bind. */
  public BindableService ads() {
    return server.getAggregatedDiscoveryServiceImpl();
  }

  /** From now on streams are answered (before, they are refused with UNAVAILABLE and retried). */
  public void ready() {
    ready = true;
  }

  /** The state behind the groups {@code affected} selects changed: rebuild them after the debounce. */
  public void changed(Predicate<GroupKey> affected) {
    for (GroupKey g : cache.groups()) {
      if (affected.test(g)) {
        dirty.add(g);
      }
    }
    debouncer.signal();
  }

  /** The version a group is served now, if it has connected. */
  public java.util.Optional<String> version(GroupKey group) {
    ContentSnapshot s = cache.current(group);
    return s == null ? java.util.Optional.empty() : java.util.Optional.of(s.version());
  }

  public Collection<GroupKey> groups() {
    return List.copyOf(cache.groups());
  }

  public Stats stats() {
    return new Stats(refusedStreams.get(), cache.refused.get(), nacks.get(), cache.parked.get(),
        cache.responses.get(), pushes.get(), cache.groups().size());
  }

  /** Builds, validates and sets a group's snapshot now (the push path, also used on first connect). */
  PolicyCache.Outcome rebuild(GroupKey group) {
    ServedResources resources;
    try {
      resources = builder.build(group);
    } catch (RuntimeException e) {
      // A builder failure must not take the last good snapshot away: refuse like an invalid one.
      cache.refused.incrementAndGet();
      logRefused(group, List.of("build failed: " + e));
      return new PolicyCache.Refused(List.of("build failed: " + e));
    }
    PolicyCache.Outcome o = cache.set(group, resources);
    if (o instanceof PolicyCache.Refused r) {
      logRefused(group, r.errors());
    } else if (o instanceof PolicyCache.Applied a) {
      pushes.incrementAndGet();
      log.accept(Json.object("event", "xds_snapshot_set", "group", group.toString(), "version", a.version()));
    }
    return o;
  }

  private void logRefused(GroupKey group, List<String> errors) {
    ContentSnapshot kept = cache.current(group);
    log.accept(Json.object("event", "xds_snapshot_refused", "group", group.toString(),
        "kept_version", kept == null ? "" : kept.version(), "reason", String.join("; ", errors)));
  }

  private void pushDirty() {
    for (GroupKey g : List.copyOf(dirty)) {
      dirty.remove(g);
      rebuild(g);
    }
  }

  @Override
  public void close() {
    pusher.shutdownNow();
  }

  private void admit(long streamId, Node node) throws RequestException {
    if (!ready) {
      refusedStreams.incrementAndGet();
      throw new RequestException(Status.UNAVAILABLE.withDescription(
          "meshwarden is not ready: the first cluster state is not loaded yet"));
    }
    if (node == null || node.getId().isEmpty()) {
      // A follow-up request of a known stream (the node comes with the first one only).
      String known = nodeOfStream.get(streamId);
      if (known == null) {
        refusedStreams.incrementAndGet();
        throw new RequestException(Status.INVALID_ARGUMENT.withDescription("the first request must carry the node"));
      }
      cache.handling(known);
      return;
    }
    cache.handling(node.getId());
    NodeGroups.Resolution resolution = NodeGroups.resolve(node, lookup);
    if (resolution instanceof NodeGroups.Unresolved u) {
      refusedStreams.incrementAndGet();
      throw new RequestException(Status.UNAVAILABLE.withDescription(u.reason()));
    }
    GroupKey key = ((NodeGroups.Resolved) resolution).key();
    nodeOfStream.put(streamId, node.getId());
    cache.bind(node.getId(), key);
    synchronized (this) {
      if (cache.current(key) == null && rebuild(key) instanceof PolicyCache.Refused refused) {
        throw new RequestException(Status.FAILED_PRECONDITION.withDescription(
            "no valid configuration for " + key + ": " + String.join("; ", refused.errors())));
      }
    }
  }

  private final class Callbacks implements DiscoveryServerCallbacks {
    @Override
    public void onStreamOpen(long streamId, String typeUrl) throws RequestException {
      if (!ready) {
        refusedStreams.incrementAndGet();
        throw new RequestException(Status.UNAVAILABLE.withDescription(
            "meshwarden is not ready: the first cluster state is not loaded yet"));
      }
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) throws RequestException {
      admit(streamId, request.hasNode() ? request.getNode() : null);
      if (request.hasErrorDetail()) {
        nacks.incrementAndGet();
        log.accept(Json.object("event", "xds_nack", "node", nodeOfStream.getOrDefault(streamId, ""),
            "type", request.getTypeUrl(), "last_good_version", request.getVersionInfo(),
            "nonce", request.getResponseNonce(), "error_detail", request.getErrorDetail().getMessage()));
      }
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) throws RequestException {
      if (!settings.delta()) {
        refusedStreams.incrementAndGet();
        throw new RequestException(Status.UNIMPLEMENTED.withDescription("delta xDS is off; use state of the world"));
      }
      admit(streamId, request.hasNode() ? request.getNode() : null);
      if (request.hasErrorDetail()) {
        nacks.incrementAndGet();
        log.accept(Json.object("event", "xds_nack", "node", nodeOfStream.getOrDefault(streamId, ""),
            "type", request.getTypeUrl(), "nonce", request.getResponseNonce(),
            "error_detail", request.getErrorDetail().getMessage()));
      }
    }

    @Override
    public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
      // counted in PolicyCache, where every response passes
    }

    @Override
    public void onStreamClose(long streamId, String typeUrl) {
      forget(streamId);
    }

    @Override
    public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
      forget(streamId);
    }

    private void forget(long streamId) {
      String node = nodeOfStream.remove(streamId);
      if (node != null && !nodeOfStream.containsValue(node)) {
        cache.unbind(node);
      }
    }
  }
}
