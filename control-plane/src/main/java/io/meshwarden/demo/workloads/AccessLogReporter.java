package io.meshwarden.demo.workloads;

import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogType;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated pod's access log, streamed to the control plane's ALS receiver as its Envoy sidecar
 * would: one stream per pod whose first message carries the node (the same metadata as its xDS
 * bootstrap), then batches of HTTP entries, one per inbound call, denied ones included (Envoy logs an
 * RBAC denial with {@code response_code_details} {@code rbac_access_denied_matched_policy[none]}).
 * The entries come from a {@link ServerStreamTracer}, which sees every call, also the ones the xDS
 * RBAC filter closes before any handler runs. A broken stream is reopened at the next flush; entries
 * that find the queue full are dropped and counted. Thread-safe.
 */
final class AccessLogReporter {
  /** What grpc-xds's RBAC filter closes a denied call with. */
  static final String RBAC_DENIAL = "Access Denied";

  private final Node node;
  private final Channel als;
  private final Clock clock;
  private final BlockingQueue<HTTPAccessLogEntry> queue = new ArrayBlockingQueue<>(10_000);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong denied = new AtomicLong();
  private ClientCallStreamObserver<StreamAccessLogsMessage> stream;

  AccessLogReporter(DemoPod pod, Channel als, Clock clock) {
    this.node = node(pod);
    this.als = als;
    this.clock = clock;
  }

  /** The node a pod announces over xDS and ALS: Istio's metadata keys. */
  static Node node(DemoPod pod) {
    return Node.newBuilder().setId(pod.nodeId()).setUserAgentName("grpc-java-xds")
        .setMetadata(Struct.newBuilder()
            .putFields("NAMESPACE", text(pod.namespace()))
            .putFields("NAME", text(pod.name()))
            .putFields("SERVICE_ACCOUNT", text(pod.serviceAccount()))
            .putFields("WORKLOAD_NAME", text(pod.workload())))
        .build();
  }

  private static Value text(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  long calls() {
    return calls.get();
  }

  long denied() {
    return denied.get();
  }

  long sent() {
    return sent.get();
  }

  long dropped() {
    return dropped.get();
  }

  /** The tracer factory to install on the pod's server. */
  ServerStreamTracer.Factory tracer() {
    return new ServerStreamTracer.Factory() {
      @Override
      public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        return new CallTracer(fullMethodName, clock.instant());
      }
    };
  }

  /** Sends what is queued (called on the demo's scheduler). */
  synchronized void flush() {
    if (queue.isEmpty()) {
      return;
    }
    boolean first = false;
    if (stream == null) {
      stream = open();
      first = true;
    }
    if (!stream.isReady() && !first) {
      return; // flow control: keep the entries queued until the receiver asks for more
    }
    List<HTTPAccessLogEntry> batch = new ArrayList<>();
    queue.drainTo(batch, 500);
    StreamAccessLogsMessage.Builder m = StreamAccessLogsMessage.newBuilder();
    if (first) {
      m.setIdentifier(StreamAccessLogsMessage.Identifier.newBuilder().setNode(node).setLogName("meshwarden-demo"));
    }
    m.getHttpLogsBuilder().addAllLogEntry(batch);
    stream.onNext(m.build());
    sent.addAndGet(batch.size());
  }

  /** Ends the stream (the receiver answers once and closes). */
  synchronized void close() {
    if (stream != null) {
      stream.onCompleted();
      stream = null;
    }
  }

  private ClientCallStreamObserver<StreamAccessLogsMessage> open() {
    ClientCallStreamObserver<StreamAccessLogsMessage>[] out = new ClientCallStreamObserver[1];
    AccessLogServiceGrpc.newStub(als).streamAccessLogs(new ClientResponseObserver<StreamAccessLogsMessage,
        StreamAccessLogsResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<StreamAccessLogsMessage> requestStream) {
        out[0] = requestStream;
      }

      @Override
      public void onNext(StreamAccessLogsResponse value) {
        // the one empty answer to a stream we ended
      }

      @Override
      public void onError(Throwable t) {
        broken(out[0]);
      }

      @Override
      public void onCompleted() {
        broken(out[0]);
      }
    });
    return out[0];
  }

  private synchronized void broken(ClientCallStreamObserver<StreamAccessLogsMessage> which) {
    if (stream == which) {
      stream = null; // reopened, with the node again, at the next flush
    }
  }

  private void record(HTTPAccessLogEntry e, boolean wasDenied) {
    calls.incrementAndGet();
    if (wasDenied) {
      denied.incrementAndGet();
    }
    if (!queue.offer(e)) {
      dropped.incrementAndGet();
    }
  }

  private static Address address(java.net.SocketAddress a) {
    if (!(a instanceof InetSocketAddress in)) {
      return Address.getDefaultInstance();
    }
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
        .setAddress(in.getAddress().getHostAddress()).setPortValue(in.getPort())).build();
  }

  /** One inbound call, logged when its stream closes. */
  private final class CallTracer extends ServerStreamTracer {
    private final String method;
    private final Instant start;
    private volatile ServerCallInfo<?, ?> info;
    private final AtomicLong in = new AtomicLong();
    private final AtomicLong out = new AtomicLong();

    CallTracer(String method, Instant start) {
      this.method = method;
      this.start = start;
    }

    @Override
    public void serverCallStarted(ServerCallInfo<?, ?> callInfo) {
      this.info = callInfo;
    }

    @Override
    public void inboundWireSize(long bytes) {
      in.addAndGet(bytes);
    }

    @Override
    public void outboundWireSize(long bytes) {
      out.addAndGet(bytes);
    }

    @Override
    public void streamClosed(Status status) {
      ServerCallInfo<?, ?> call = info;
      if (call == null) {
        return; // never reached a method (unknown method, or the transport failed first): nothing to attribute
      }
      boolean wasDenied = status.getCode() == Status.Code.PERMISSION_DENIED && RBAC_DENIAL.equals(status.getDescription());
      Instant end = clock.instant();
      java.time.Duration took = java.time.Duration.between(start, end);
      HTTPAccessLogEntry e = HTTPAccessLogEntry.newBuilder()
          .setCommonProperties(AccessLogCommon.newBuilder()
              .setStartTime(Timestamp.newBuilder().setSeconds(start.getEpochSecond()).setNanos(start.getNano()))
              .setTimeToLastDownstreamTxByte(Duration.newBuilder().setSeconds(took.getSeconds()).setNanos(took.getNano()))
              .setDownstreamRemoteAddress(address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)))
              .setDownstreamLocalAddress(address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR)))
              .setAccessLogType(AccessLogType.DownstreamEnd))
          .setProtocolVersion(HTTPAccessLogEntry.HTTPVersion.HTTP2)
          .setRequest(HTTPRequestProperties.newBuilder().setRequestMethod(RequestMethod.POST).setPath("/" + method)
              .setAuthority(call.getAuthority() == null ? "" : call.getAuthority()).setUserAgent("grpc-java-netty")
              .setRequestBodyBytes(in.get()))
          // gRPC answers HTTP 200 and carries its status in trailers, a denial included (Envoy does too).
          .setResponse(HTTPResponseProperties.newBuilder().setResponseCode(UInt32Value.of(200))
              .setResponseBodyBytes(out.get())
              .setResponseCodeDetails(wasDenied ? "rbac_access_denied_matched_policy[none]" : "via_upstream"))
          .build();
      record(e, wasDenied);
    }
  }
}
