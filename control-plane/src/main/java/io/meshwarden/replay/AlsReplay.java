package io.meshwarden.replay;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.IpOwner;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.ObservedFlow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * An ALS client standing in for the sidecars of a recording: each recorded inbound flow goes out
 * on the stream of the pod that owns its server address, whose first message carries that pod's
 * Istio node metadata ({@code NAMESPACE}, {@code NAME}, {@code SERVICE_ACCOUNT},
 * {@code WORKLOAD_NAME}, {@code LABELS} and an Istio node id). Streams stay open, as Envoy's do.
 * Used from one thread at a time.
 */
public final class AlsReplay implements AutoCloseable {
  private static final int ENTRIES_PER_MESSAGE = 100;

  /** What one playback sent: entries, flows no pod's sidecar could have logged, and streams open. */
  public record Result(long sent, long skipped, int streams) {}

  private final ManagedChannel channel;
  private final Map<String, StreamObserver<StreamAccessLogsMessage>> streams = new LinkedHashMap<>();
  private final AtomicLong streamErrors = new AtomicLong();
  private volatile String lastError;

  private AlsReplay(ManagedChannel channel) {
    this.channel = channel;
  }

  /** A plaintext channel to the control plane's ALS port (the demo's listeners are plaintext). */
  public static AlsReplay connect(String host, int port) {
    return new AlsReplay(NettyChannelBuilder.forAddress(host, port).usePlaintext().build());
  }

  /**
   * Sends the flows in order, each stamped {@code stamp(its recorded time)} (so a recording can end now).
   * A flow whose server address belongs to no pod of {@code cluster} is skipped: no sidecar
   * would have logged it.
   */
  public Result play(List<ObservedFlow> flows, ClusterSnapshot cluster, UnaryOperator<Instant> stamp) {
    Map<String, List<HTTPAccessLogEntry>> byPod = new LinkedHashMap<>();
    Map<String, Node> nodes = new LinkedHashMap<>();
    long skipped = 0;
    for (ObservedFlow f : flows) {
      Optional<Node> node = node(f, cluster);
      if (node.isEmpty()) {
        skipped++;
        continue;
      }
      String key = node.get().getId();
      nodes.putIfAbsent(key, node.get());
      byPod.computeIfAbsent(key, k -> new ArrayList<>()).add(RecordedEntries.http(f, stamp.apply(f.time())));
    }
    long sent = 0;
    for (Map.Entry<String, List<HTTPAccessLogEntry>> e : byPod.entrySet()) {
      List<HTTPAccessLogEntry> entries = e.getValue();
      for (int i = 0; i < entries.size(); i += ENTRIES_PER_MESSAGE) {
        send(nodes.get(e.getKey()), entries.subList(i, Math.min(entries.size(), i + ENTRIES_PER_MESSAGE)));
      }
      sent += entries.size();
    }
    return new Result(sent, skipped, streams.size());
  }

  /** Streams that the server ended with an error (each is reopened on the next send). */
  public long streamErrors() {
    return streamErrors.get();
  }

  /** The last error a stream ended with, if any. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  private void send(Node node, List<HTTPAccessLogEntry> entries) {
    StreamAccessLogsMessage.Builder m = StreamAccessLogsMessage.newBuilder()
        .setHttpLogs(StreamAccessLogsMessage.HTTPAccessLogEntries.newBuilder().addAllLogEntry(entries));
    StreamObserver<StreamAccessLogsMessage> stream;
    synchronized (streams) {
      stream = streams.get(node.getId());
    }
    if (stream == null) {
      String id = node.getId();
      stream = AccessLogServiceGrpc.newStub(channel).streamAccessLogs(new StreamObserver<StreamAccessLogsResponse>() {
        @Override
        public void onNext(StreamAccessLogsResponse r) {}

        @Override
        public void onError(Throwable t) {
          streamErrors.incrementAndGet();
          lastError = t.getMessage();
          synchronized (streams) {
            streams.remove(id);
          }
        }

        @Override
        public void onCompleted() {
          synchronized (streams) {
            streams.remove(id);
          }
        }
      });
      // The first message of a stream names its node, as Envoy's does.
      m.setIdentifier(StreamAccessLogsMessage.Identifier.newBuilder().setNode(node).setLogName("meshwarden-demo"));
      synchronized (streams) {
        streams.put(id, stream);
      }
    }
    stream.onNext(m.build());
  }

  /** The node of the pod that owns the flow's server address, as Istio's sidecar announces it. */
  static Optional<Node> node(ObservedFlow f, ClusterSnapshot cluster) {
    String ip = f.destination().ip();
    if (ip == null) {
      return Optional.empty();
    }
    Optional<IpOwner> owner = cluster.podIps().resolve(ip, null);
    if (owner.isEmpty()) {
      return Optional.empty();
    }
    IpOwner o = owner.get();
    Workload w = null;
    for (Workload c : cluster.model().workloads()) {
      if (c.id().equals(o.workloadId())) {
        w = c;
        break;
      }
    }
    if (w == null) {
      return Optional.empty();
    }
    Struct.Builder labels = Struct.newBuilder();
    w.podLabels().forEach((k, v) -> labels.putFields(k, Value.newBuilder().setStringValue(v).build()));
    Struct.Builder md = Struct.newBuilder()
        .putFields("NAMESPACE", text(o.namespace()))
        .putFields("SERVICE_ACCOUNT", text(w.serviceAccount()))
        .putFields("WORKLOAD_NAME", text(w.name()))
        .putFields("LABELS", Value.newBuilder().setStructValue(labels).build());
    String id;
    if (o.pod() != null) {
      md.putFields("NAME", text(o.pod()));
      id = "sidecar~" + ip + "~" + o.pod() + "." + o.namespace() + "~" + o.namespace() + ".svc.cluster.local";
    } else {
      // The address is known from an EndpointSlice only, not from a pod object: no pod name to
      // announce, so the node names its workload (WORKLOAD_NAME) and its id is not Istio's.
      id = "meshwarden-demo/" + o.namespace() + "/" + w.name() + "/" + ip;
    }
    return Optional.of(Node.newBuilder().setId(id).setMetadata(md).build());
  }

  private static Value text(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  /** Ends every stream (Envoy's graceful close) and the channel. */
  @Override
  public void close() {
    List<StreamObserver<StreamAccessLogsMessage>> open;
    synchronized (streams) {
      open = new ArrayList<>(streams.values());
      streams.clear();
    }
    for (StreamObserver<StreamAccessLogsMessage> s : open) {
      try {
        s.onCompleted();
      } catch (RuntimeException ignored) {
        // already failed: nothing to end
      }
    }
    channel.shutdown();
    try {
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.shutdownNow();
    }
  }
}
