package io.meshwarden.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.listener.ServedTranslator;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load tool behind {@code bench-xds}: N ADS streams as simulated proxyless sidecars (LDS,
 * state of the world, each ACKing what it gets) against an {@link AdsServer} on loopback, spread over
 * a few HTTP/2 connections and G workload groups. Measures how long one change takes to reach every
 * stream (from the change signal, so it includes the 100 ms debounce) and the heap the streams hold.
 * Client and server share the JVM, so the heap figure covers both sides: an upper bound for the server.
 */
public final class XdsBenchmark {
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";

  /** What to run: streams, HTTP/2 connections they share, workload groups they belong to. */
  public record Spec(int streams, int connections, int groups) {
    public Spec {
      if (streams < 1 || connections < 1 || groups < 1) {
        throw new IllegalArgumentException("streams, connections and groups must be at least 1");
      }
    }
  }

  /**
   * @param connectNanos until every stream had its first snapshot
   * @param deliveryNanos per stream, change signal → new snapshot received, sorted
   * @param heapBytes heap held by the open streams (after GC, both sides)
   */
  public record Result(Spec spec, long connectNanos, long[] deliveryNanos, long heapBytes, AdsServer.Stats stats) {
    public long percentile(double p) {
      int i = (int) Math.ceil(p / 100.0 * deliveryNanos.length) - 1;
      return deliveryNanos[Math.max(0, Math.min(deliveryNanos.length - 1, i))];
    }
  }

  private XdsBenchmark() {}

  public static Result run(Spec spec) throws Exception {
    AtomicReference<Set<Integer>> ports = new AtomicReference<>(Set.of(50051));
    AdsServer ads = new AdsServer(AdsServer.Settings.defaults(),
        (ns, pod) -> Optional.of(pod.substring(0, pod.indexOf('-'))),
        g -> ServedTranslator.grpc("bench/Deployment/" + g.workload(), ports.get(), PolicyLayers.observe(),
            TranslatorOptions.DEFAULTS),
        line -> { });
    ads.ready();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(ads.ads())
        .build().start();
    List<ManagedChannel> channels = new ArrayList<>();
    List<StreamObserver<DiscoveryRequest>> streams = new ArrayList<>();
    try {
      for (int c = 0; c < spec.connections(); c++) {
        channels.add(NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build());
      }
      long heapBefore = usedHeap();
      CountDownLatch connected = new CountDownLatch(spec.streams());
      CountDownLatch changed = new CountDownLatch(spec.streams());
      AtomicLongArray arrivals = new AtomicLongArray(spec.streams());
      long start = System.nanoTime();
      for (int i = 0; i < spec.streams(); i++) {
        int index = i;
        int[] seen = {0};
        @SuppressWarnings("unchecked")
        StreamObserver<DiscoveryRequest>[] self = new StreamObserver[1];
        self[0] = AggregatedDiscoveryServiceGrpc.newStub(channels.get(i % channels.size()))
            .streamAggregatedResources(new StreamObserver<>() {
              @Override
              public void onNext(DiscoveryResponse r) {
                long now = System.nanoTime();
                synchronized (seen) {
                  seen[0]++;
                  if (seen[0] == 1) {
                    connected.countDown();
                  } else if (seen[0] == 2) {
                    arrivals.set(index, now);
                    changed.countDown();
                  }
                  self[0].onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS).setVersionInfo(r.getVersionInfo())
                      .setResponseNonce(r.getNonce()).build());
                }
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
        synchronized (seen) {
          self[0].onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS).setNode(node(i, spec.groups())).build());
        }
        streams.add(self[0]);
      }
      if (!connected.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException(connected.getCount() + " streams got no first snapshot in 120 s");
      }
      long connectNanos = System.nanoTime() - start;
      long heap = usedHeap() - heapBefore;

      long t0 = System.nanoTime();
      ports.set(Set.of(50051, 50052));
      ads.changed(g -> true);
      if (!changed.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(changed.getCount() + " streams did not get the change in 60 s");
      }
      long[] delivery = new long[spec.streams()];
      for (int i = 0; i < delivery.length; i++) {
        delivery[i] = arrivals.get(i) - t0;
      }
      Arrays.sort(delivery);
      return new Result(spec, connectNanos, delivery, heap, ads.stats());
    } finally {
      for (StreamObserver<DiscoveryRequest> s : streams) {
        try {
          s.onCompleted();
        } catch (RuntimeException e) {
          // already closed
        }
      }
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      ads.close();
    }
  }

  private static Node node(int i, int groups) {
    String pod = "w" + (i % groups) + "-" + i;
    return Node.newBuilder().setId(pod + ".bench").setUserAgentName("gRPC Java")
        .setMetadata(Struct.newBuilder()
            .putFields("NAMESPACE", Value.newBuilder().setStringValue("bench").build())
            .putFields("NAME", Value.newBuilder().setStringValue(pod).build())
            .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue("sa").build()))
        .build();
  }

  private static long usedHeap() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /** For callers that print durations. */
  public static double millis(long nanos) {
    return Duration.ofNanos(nanos).toNanos() / 1e6;
  }
}
