package io.meshwarden.xds;

import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.BindableService;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Aggregated discovery for the sidecars. It answers only once the control plane is ready (the first
 * cluster state is loaded): before that a stream is refused with UNAVAILABLE and Envoy retries.
 *
 * <p>What it serves today is the observe mode's empty snapshot: no listener, cluster or route is
 * pushed, so sidecars keep their bootstrap configuration (pass-through plus the ALS sink) and
 * nothing is enforced. Generating and pushing policy per workload group is the next issue; the
 * snapshot version is a content hash so that the same content has the same version after a
 * restart or on another replica.
 */
public final class XdsServer {
  private final SimpleCache<String> cache = new SimpleCache<>(XdsServer::group);
  private final V3DiscoveryServer server;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final String observeVersion = sha256("observe:");
  private volatile boolean ready;

  public XdsServer() {
    this.server = new V3DiscoveryServer(new Callbacks(), cache);
  }

  /** The gRPC service to bind. */
  public BindableService ads() {
    return server.getAggregatedDiscoveryServiceImpl();
  }

  /** From now on streams are answered. */
  public void ready() {
    ready = true;
  }

  /** Streams refused because the control plane was not ready yet. */
  public long refusedStreams() {
    return refused.get();
  }

  public long requests() {
    return requests.get();
  }

  /**
   * The snapshot key: sidecars of one workload share one snapshot (namespace and workload name from
   * Istio node metadata); a node without them is its own group.
   */
  static String group(Node node) {
    String ns = text(node, "NAMESPACE");
    String workload = text(node, "WORKLOAD_NAME");
    return ns != null && workload != null ? ns + "/" + workload : "node:" + node.getId();
  }

  private static String text(Node node, String key) {
    Value v = node.getMetadata().getFieldsMap().get(key);
    return v != null && v.hasStringValue() && !v.getStringValue().isEmpty() ? v.getStringValue() : null;
  }

  private void admit(Node node) throws RequestException {
    if (!ready) {
      refused.incrementAndGet();
      throw new RequestException(Status.UNAVAILABLE.withDescription(
          "meshwarden is not ready: the first cluster state is not loaded yet"));
    }
    requests.incrementAndGet();
    if (node != null) {
      String g = group(node);
      if (cache.getSnapshot(g) == null) {
        // Observe mode: an empty, validated-by-construction snapshot (see the class comment).
        cache.setSnapshot(g, Snapshot.createEmpty(observeVersion));
      }
    }
  }

  private final class Callbacks implements DiscoveryServerCallbacks {
    @Override
    public void onStreamOpen(long streamId, String typeUrl) throws RequestException {
      if (!ready) {
        refused.incrementAndGet();
        throw new RequestException(Status.UNAVAILABLE.withDescription(
            "meshwarden is not ready: the first cluster state is not loaded yet"));
      }
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) throws RequestException {
      admit(request.hasNode() ? request.getNode() : null);
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) throws RequestException {
      admit(request.hasNode() ? request.getNode() : null);
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
