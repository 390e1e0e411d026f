package io.meshwarden.als;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A sidecar's ALS stream as the tests drive it over a real plaintext channel: one stream, messages in
 * order (the first carries the node), then either closed and waited for, or left open for the test.
 */
public final class AlsClient {
  private AlsClient() {}

  /** Streams {@code messages} to the ALS port, completes, and waits (10 s at most) until the server closed the stream. */
  public static void send(int port, List<StreamAccessLogsMessage> messages) throws InterruptedException {
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      CountDownLatch done = new CountDownLatch(1);
      StreamObserver<StreamAccessLogsMessage> stream = AccessLogServiceGrpc.newStub(ch).streamAccessLogs(
          new StreamObserver<StreamAccessLogsResponse>() {
            @Override
            public void onNext(StreamAccessLogsResponse r) {}

            @Override
            public void onError(Throwable t) {
              done.countDown();
            }

            @Override
            public void onCompleted() {
              done.countDown();
            }
          });
      messages.forEach(stream::onNext);
      stream.onCompleted();
      assertTrue(done.await(10, TimeUnit.SECONDS), "the server closed the stream");
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** A stream on {@code channel} whose end the test does not wait for (the server never answers ALS). */
  public static StreamObserver<StreamAccessLogsMessage> open(ManagedChannel channel) {
    return AccessLogServiceGrpc.newStub(channel).streamAccessLogs(new StreamObserver<StreamAccessLogsResponse>() {
      @Override
      public void onNext(StreamAccessLogsResponse r) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
  }
}
