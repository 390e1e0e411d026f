package io.meshwarden.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.meshwarden.als.AlsMessages;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Before the control plane is ready, ADS streams are refused (Envoy and grpc-xds retry); after, answered. */
class AdsReadinessTest {
  private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";

  private static CompletableFuture<Object> ask(ManagedChannel ch) {
    CompletableFuture<Object> answer = new CompletableFuture<>();
    StreamObserver<DiscoveryRequest> req = AggregatedDiscoveryServiceGrpc.newStub(ch).streamAggregatedResources(
        new StreamObserver<DiscoveryResponse>() {
          @Override
          public void onNext(DiscoveryResponse r) {
            answer.complete(r);
          }

          @Override
          public void onError(Throwable t) {
            answer.complete(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            answer.complete("completed");
          }
        });
    req.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS)
        .setNode(AlsMessages.node("default", "cartservice-6b9d7c8f5-q2z", "cartservice", "10.8.0.12")).build());
    return answer;
  }

  @Test
  void refusesStreamsUntilReady_thenServesTheGroupsSnapshot() throws Exception {
    AdsServer xds = new AdsServer(AdsServer.Settings.defaults(),
        (ns, pod) -> pod.startsWith("cartservice-") ? java.util.Optional.of("cartservice") : java.util.Optional.empty(),
        g -> io.meshwarden.sidecar.listener.ServedTranslator.grpc("default/Deployment/cartservice",
            java.util.Set.of(7070), io.meshwarden.sidecar.PolicyLayers.observe(),
            io.meshwarden.sidecar.TranslatorOptions.DEFAULTS), l -> { });
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(xds.ads()).build()
        .start();
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      Object before = ask(ch).get(10, TimeUnit.SECONDS);
      assertTrue(before instanceof Status s && s.getCode() == Status.Code.UNAVAILABLE, String.valueOf(before));
      assertTrue(xds.stats().refusedStreams() >= 1);
      xds.ready();
      Object after = ask(ch).get(10, TimeUnit.SECONDS);
      assertTrue(after instanceof DiscoveryResponse, String.valueOf(after));
      DiscoveryResponse r = (DiscoveryResponse) after;
      assertEquals(LDS, r.getTypeUrl());
      assertEquals(1, r.getResourcesCount(), "observe: the server listener of its port, allowing everything");
      assertEquals(64, r.getVersionInfo().length(), "a content hash, the same on every replica");
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      xds.close();
    }
  }
}
