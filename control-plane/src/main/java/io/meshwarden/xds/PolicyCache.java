package io.meshwarden.xds;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.validate.ResourceValidator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * java-control-plane's {@code SimpleCache}, with three guards it lacks:
 * <ul>
 *   <li>nothing is set that does not validate (LDS, RDS, CDS and their references); a refused
 *       snapshot leaves the last good one in place;</li>
 *   <li>a NACK of the version in force parks that node's watch until the group's snapshot changes.
 *       Without this, SimpleCache answers the NACK (which carries the last good version) with the same
 *       bad snapshot at once, hundreds of times a second;</li>
 *   <li>versions are content hashes ({@link ContentSnapshot}).</li>
 * </ul>
 * Node → group comes from {@link #bind} (the stream callbacks resolve it before any watch exists).
 */
final class PolicyCache implements ConfigWatcher {
  /** What {@link #set} did. */
  sealed interface Outcome permits Applied, Unchanged, Refused {}

  record Applied(String version) implements Outcome {}

  record Unchanged(String version) implements Outcome {}

  record Refused(List<String> errors) implements Outcome {}

  private final Map<String, GroupKey> groupOfNode = new ConcurrentHashMap<>();
  /**
   * The node of the stream whose request is being handled on this thread. Clients send the node on
   * a stream's first request only (delta always, some SotW clients too); java-control-plane runs the
   * request callbacks and then creates the watch on the same thread, so the callbacks leave it here.
   */
  private final ThreadLocal<String> streamNode = new ThreadLocal<>();
  private final SimpleCache<GroupKey> cache = new SimpleCache<>(node -> groupOfNode.get(nodeId(node)));
  /** node id + type → the version last sent there: tells a NACK of the version in force from a stale one. */
  private final Map<String, String> lastSent = new ConcurrentHashMap<>();
  final AtomicLong refused = new AtomicLong();
  final AtomicLong parked = new AtomicLong();
  final AtomicLong responses = new AtomicLong();

  /** The node of the request about to be handled on this thread. */
  void handling(String nodeId) {
    streamNode.set(nodeId);
  }

  private String nodeId(io.envoyproxy.envoy.config.core.v3.Node node) {
    String id = node.getId();
    return id.isEmpty() && streamNode.get() != null ? streamNode.get() : id;
  }

  void bind(String nodeId, GroupKey group) {
    groupOfNode.put(nodeId, group);
  }

  void unbind(String nodeId) {
    groupOfNode.remove(nodeId);
    lastSent.keySet().removeIf(k -> k.startsWith(nodeId + "\u0000"));
  }

  ContentSnapshot current(GroupKey group) {
    return (ContentSnapshot) cache.getSnapshot(group);
  }

  java.util.Collection<GroupKey> groups() {
    return cache.groups();
  }

  /** Validates and, if valid and different, sets; wakes parked watches of the group. */
  synchronized Outcome set(GroupKey group, ServedResources resources) {
    List<String> errors = ResourceValidator.validateServed(resources, group.form() == GroupKey.Form.GRPC);
    if (!errors.isEmpty()) {
      refused.incrementAndGet();
      return new Refused(errors);
    }
    ContentSnapshot next = ContentSnapshot.of(resources);
    ContentSnapshot now = current(group);
    if (now != null && now.version().equals(next.version())) {
      return new Unchanged(now.version());
    }
    cache.setSnapshot(group, next);
    return new Applied(next.version());
  }

  @Override
  public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
      Consumer<Response> responseConsumer, boolean hasClusterChanged, boolean allowDefaultEmptyEdsUpdate) {
    String nodeId = nodeId(request.v3Request().getNode());
    String key = nodeId + "\u0000" + request.getTypeUrl();
    XdsRequest effective = request;
    if (request.hasErrorDetail()) {
      GroupKey group = groupOfNode.get(nodeId);
      Snapshot now = group == null ? null : cache.getSnapshot(group);
      String sent = lastSent.get(key);
      if (now != null && sent != null && sent.equals(now.version(request.getTypeUrl()))) {
        // The rejected version is the one in force: wait for the next one instead of re-sending it.
        parked.incrementAndGet();
        effective = XdsRequest.create(request.v3Request().toBuilder().setVersionInfo(sent).build());
      }
    }
    return cache.createWatch(ads, effective, knownResourceNames, response -> {
      lastSent.put(key, response.version());
      responses.incrementAndGet();
      responseConsumer.accept(response);
    }, hasClusterChanged, allowDefaultEmptyEdsUpdate);
  }

  @Override
  public DeltaWatch createDeltaWatch(DeltaXdsRequest request, String requesterVersion,
      Map<String, String> resourceVersions, java.util.Set<String> pendingResources, boolean isWildcard,
      Consumer<DeltaResponse> responseConsumer, boolean hasClusterChanged) {
    return cache.createDeltaWatch(request, requesterVersion, resourceVersions, pendingResources, isWildcard,
        response -> {
          responses.incrementAndGet();
          responseConsumer.accept(response);
        }, hasClusterChanged);
  }
}
