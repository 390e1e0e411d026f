package io.meshwarden.xds;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.meshwarden.sidecar.ServedResources;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A snapshot whose every version is a content hash: each resource's is SHA-256 of its deterministic
 * serialization, each type's is derived from its sorted (name, version) pairs, and the snapshot's
 * from all of them. A route-only change therefore changes the RDS version and leaves LDS alone, so
 * listeners are not even re-sent. (The translators build RBAC maps from sorted maps, so the bytes
 * inside packed {@code Any} configs are deterministic too.)
 */
final class ContentSnapshot extends Snapshot {
  private final SnapshotResources<Cluster> clusters;
  private final SnapshotResources<Listener> listeners;
  private final SnapshotResources<RouteConfiguration> routes;
  private final String version;

  private ContentSnapshot(SnapshotResources<Cluster> clusters, SnapshotResources<Listener> listeners,
      SnapshotResources<RouteConfiguration> routes, String version) {
    this.clusters = clusters;
    this.listeners = listeners;
    this.routes = routes;
    this.version = version;
  }

  static ContentSnapshot of(ServedResources r) {
    SortedMap<String, String> all = new TreeMap<>();
    var c = typed(r.clusters(), Cluster::getName, "cds/", all);
    var l = typed(r.listeners(), Listener::getName, "lds/", all);
    var rt = typed(r.routes(), RouteConfiguration::getName, "rds/", all);
    return new ContentSnapshot(c, l, rt, Versions.of(all));
  }

  private static <T extends Message> SnapshotResources<T> typed(List<T> resources, Function<T, String> name,
      String prefix, SortedMap<String, String> all) {
    SortedMap<String, String> mine = new TreeMap<>();
    List<VersionedResource<T>> versioned = new ArrayList<>();
    for (T res : resources) {
      String v = Versions.resource(res);
      mine.put(name.apply(res), v);
      all.put(prefix + name.apply(res), v);
      versioned.add(VersionedResource.create(res, v));
    }
    String typeVersion = Versions.of(mine);
    return SnapshotResources.create(versioned, names -> typeVersion);
  }

  /** The snapshot's own version: equal exactly when every resource is. */
  String version() {
    return version;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public java.util.Map versionedResources(io.envoyproxy.controlplane.cache.Resources.ResourceType type) {
    // v3.Snapshot's own version of this method has a signature javac does not take as the override.
    return switch (type) {
      case CLUSTER -> clusters.versionedResources();
      case LISTENER -> listeners.versionedResources();
      case ROUTE -> routes.versionedResources();
      case ENDPOINT -> EMPTY_ENDPOINTS.versionedResources();
      case SECRET -> EMPTY_SECRETS.versionedResources();
    };
  }

  @Override
  public SnapshotResources<Cluster> clusters() {
    return clusters;
  }

  @Override
  public SnapshotResources<ClusterLoadAssignment> endpoints() {
    return EMPTY_ENDPOINTS;
  }

  @Override
  public SnapshotResources<Listener> listeners() {
    return listeners;
  }

  @Override
  public SnapshotResources<RouteConfiguration> routes() {
    return routes;
  }

  @Override
  public SnapshotResources<Secret> secrets() {
    return EMPTY_SECRETS;
  }

  private static final SnapshotResources<ClusterLoadAssignment> EMPTY_ENDPOINTS =
      SnapshotResources.create(List.<VersionedResource<ClusterLoadAssignment>>of(), names -> Versions.of(new TreeMap<>()));
  private static final SnapshotResources<Secret> EMPTY_SECRETS =
      SnapshotResources.create(List.<VersionedResource<Secret>>of(), names -> Versions.of(new TreeMap<>()));
}
