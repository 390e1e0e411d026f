package io.meshwarden.als;

import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.meshwarden.aggregate.IngestCounters;
import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.aggregate.NodeIdentity;
import io.meshwarden.aggregate.Observation;
import io.meshwarden.aggregate.StreamNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The ALS receiver. Each stream asks gRPC for one message at a time and asks for the next only
 * once the previous one's entries are queued (or, after waiting {@link #QUEUE_WAIT_MILLIS}, dropped
 * and counted): a slow aggregator slows the streams through HTTP/2 flow control instead of
 * buffering without bound. Envoy never ends a stream on its own; the one empty response goes out
 * when a client does.
 */
public final class AlsService extends AccessLogServiceGrpc.AccessLogServiceImplBase {
  /** How long a stream waits for queue room before its batch is dropped. */
  static final long QUEUE_WAIT_MILLIS = 200;

  private final LiveAggregator aggregator;
  private final IngestCounters counters;
  private final EntryDecoder decoder;
  private final java.util.function.BooleanSupplier ready;

  /**
   * @param trustDomain the mesh's SPIFFE trust domain; peer certificates of others are external peers
   * @param ready false until the first cluster state is loaded: streams are refused (UNAVAILABLE,
   *     Envoy reconnects) rather than their entries refused for want of a cluster to check them against
   */
  public AlsService(LiveAggregator aggregator, IngestCounters counters, Clock clock, String trustDomain,
      java.util.function.BooleanSupplier ready) {
    this.ready = Objects.requireNonNull(ready, "ready");
    this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
    this.counters = Objects.requireNonNull(counters, "counters");
    this.decoder = new EntryDecoder(clock, Objects.requireNonNull(trustDomain, "trustDomain"));
  }

  @Override
  public StreamObserver<StreamAccessLogsMessage> streamAccessLogs(StreamObserver<StreamAccessLogsResponse> response) {
    ServerCallStreamObserver<StreamAccessLogsResponse> call = (ServerCallStreamObserver<StreamAccessLogsResponse>) response;
    call.disableAutoRequest();
    call.request(1);
    return new StreamObserver<>() {
      private StreamNode node;
      private boolean closed;

      @Override
      public void onNext(StreamAccessLogsMessage message) {
        if (closed) {
          return;
        }
        if (node == null) {
          if (!ready.getAsBoolean()) {
            counters.dropped(entries(message));
            closed = true;
            call.onError(Status.UNAVAILABLE.withDescription(
                "meshwarden is not ready: the first cluster state is not loaded yet").asException());
            return;
          }
          if (!message.hasIdentifier() || !message.getIdentifier().hasNode()) {
            counters.dropped(entries(message));
            closed = true;
            call.onError(Status.INVALID_ARGUMENT
                .withDescription("the first message of an access log stream must carry identifier.node").asException());
            return;
          }
          NodeIdentity id = NodeIdentities.of(message.getIdentifier().getNode());
          node = new StreamNode(id);
        }
        List<Observation> batch = decode(message, node);
        try {
          aggregator.offer(batch, QUEUE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          counters.dropped(batch.size());
          closed = true;
          call.onError(Status.UNAVAILABLE.withDescription("shutting down").asException());
          return;
        }
        call.request(1);
      }

      @Override
      public void onError(Throwable t) {
        closed = true;
      }

      @Override
      public void onCompleted() {
        if (!closed) {
          closed = true;
          // The RPC is client-streaming with one (empty) response, sent when Envoy ends the stream.
          call.onNext(StreamAccessLogsResponse.getDefaultInstance());
          call.onCompleted();
        }
      }
    };
  }

  private static int entries(StreamAccessLogsMessage m) {
    return m.getHttpLogs().getLogEntryCount() + m.getTcpLogs().getLogEntryCount();
  }

  private List<Observation> decode(StreamAccessLogsMessage m, StreamNode node) {
    List<Observation> out = new ArrayList<>(entries(m));
    for (HTTPAccessLogEntry e : m.getHttpLogs().getLogEntryList()) {
      out.add(decoder.http(e, node));
    }
    for (TCPAccessLogEntry e : m.getTcpLogs().getLogEntryList()) {
      out.add(decoder.tcp(e, node));
    }
    return out;
  }
}
