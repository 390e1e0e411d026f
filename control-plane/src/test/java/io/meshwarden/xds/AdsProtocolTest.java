package io.meshwarden.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.meshwarden.model.Protocol;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.listener.GrpcTranslator;
import io.meshwarden.sidecar.listener.ServedTranslator;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.Provenance;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ADS protocol as a sidecar sees it, through a raw ADS client: NACK handling and delta reconnects. */
class AdsProtocolTest {
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final int PORT = 50051;
  static final Node NODE = Node.newBuilder().setId("echo-1.default").setUserAgentName("gRPC Java")
      .setMetadata(Struct.newBuilder()
          .putFields("NAMESPACE", Value.newBuilder().setStringValue("default").build())
          .putFields("NAME", Value.newBuilder().setStringValue("echo-1").build())
          .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue("echo").build()))
      .build();
  static final GroupKey GROUP = new GroupKey("default", "echo", "echo", GroupKey.Form.GRPC);

  final AtomicReference<PolicyLayers> layers = new AtomicReference<>(PolicyLayers.observe());
  final AtomicReference<Set<Integer>> ports = new AtomicReference<>(Set.of(PORT));
  final List<String> log = Collections.synchronizedList(new ArrayList<>());
  final List<AutoCloseable> closing = new ArrayList<>();

  static WorkloadPolicy policy(String path) {
    return new WorkloadPolicy("default", "default/Deployment/echo", "echo", Map.of(), "echo",
        List.of(new PortRule(Protocol.TCP, PORT, null, List.of(Peer.cidr("10.0.0.1/32")),
            List.of(new HttpMatch("POST", path, false)), Provenance.system("test"))), List.of());
  }

  ManagedChannel serve(AdsServer ads) throws Exception {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(ads.ads()).build()
        .start();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    closing.add(() -> channel.shutdownNow());
    closing.add(() -> server.shutdownNow());
    closing.add(ads);
    return channel;
  }

  AdsServer ads(boolean delta) {
    AdsServer ads = new AdsServer(new AdsServer.Settings(delta, Duration.ofMillis(20), Duration.ofMillis(200)),
        (ns, pod) -> Optional.of("echo"),
        g -> ServedTranslator.grpc("default/Deployment/echo", ports.get(), layers.get(), TranslatorOptions.DEFAULTS),
        log::add);
    ads.ready();
    return ads;
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  static <T> StreamObserver<T> into(BlockingQueue<Object> q) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        q.add(value);
      }

      @Override
      public void onError(Throwable t) {
        q.add(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  /** A state-of-the-world stream as a sidecar opens it; what comes back (or the error) goes to {@code answers}. */
  StreamObserver<DiscoveryRequest> sotw(AdsServer ads, BlockingQueue<Object> answers) throws Exception {
    return AggregatedDiscoveryServiceGrpc.newStub(serve(ads)).streamAggregatedResources(into(answers));
  }

  /** A delta stream as a sidecar opens it; what comes back goes to {@code answers}. */
  StreamObserver<DeltaDiscoveryRequest> delta(AdsServer ads, BlockingQueue<Object> answers) throws Exception {
    return AggregatedDiscoveryServiceGrpc.newStub(serve(ads)).deltaAggregatedResources(into(answers));
  }

  /** NODE's first LDS request on a fresh stream, and the answer (within 5 s). */
  static DiscoveryResponse firstListeners(StreamObserver<DiscoveryRequest> requests, BlockingQueue<Object> responses)
      throws InterruptedException {
    requests.onNext(DiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(LDS).build());
    DiscoveryResponse first = (DiscoveryResponse) responses.poll(5, TimeUnit.SECONDS);
    assertNotNull(first);
    return first;
  }

  @Test
  void aNackOfTheVersionInForceIsNotResentUntilTheSnapshotChanges() throws Exception {
    AdsServer ads = ads(false);
    BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> requests = sotw(ads, responses);
    DiscoveryResponse first = firstListeners(requests, responses);

    requests.onNext(DiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(LDS).setResponseNonce(first.getNonce())
        .setErrorDetail(Status.newBuilder().setCode(3).setMessage("Listener address mismatch")).build());
    // Stock SimpleCache answers this at once with the same snapshot, again and again.
    assertNull(responses.poll(500, TimeUnit.MILLISECONDS), "a NACKed snapshot is not re-sent");
    assertEquals(1, ads.stats().nacks());
    assertEquals(1, ads.stats().parkedNacks());
    assertTrue(log.stream().anyMatch(l -> l.contains("\"event\":\"xds_nack\"") && l.contains("Listener address mismatch")
        && l.contains("echo-1.default")), String.join("\n", log));

    // Another serving port changes LDS: the parked watch gets exactly one response.
    ports.set(Set.of(PORT, PORT + 1));
    ads.changed(g -> g.equals(GROUP));
    DiscoveryResponse next = (DiscoveryResponse) responses.poll(5, TimeUnit.SECONDS);
    assertNotNull(next);
    assertEquals(2, next.getResourcesCount());
    assertNotEquals(first.getVersionInfo(), next.getVersionInfo());
    assertNull(responses.poll(300, TimeUnit.MILLISECONDS), "one response per change");
  }

  @Test
  void aPolicyChangeDoesNotResendListeners() throws Exception {
    AdsServer ads = ads(false);
    BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> requests = sotw(ads, responses);
    DiscoveryResponse first = firstListeners(requests, responses);
    requests.onNext(DiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(LDS).setVersionInfo(first.getVersionInfo())
        .setResponseNonce(first.getNonce()).build());
    String before = ads.version(GROUP).orElseThrow();

    layers.set(PolicyLayers.dryRun(policy("/test.Echo/Observed")));
    ads.changed(g -> true);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (ads.version(GROUP).orElseThrow().equals(before) && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertNotEquals(before, ads.version(GROUP).orElseThrow());
    assertNull(responses.poll(300, TimeUnit.MILLISECONDS), "policy rides in RDS: the listener is not re-sent");

    ads.changed(g -> true);
    Thread.sleep(200);
    assertEquals(2, ads.stats().pushes(), "a rebuild with the same content pushes nothing");
  }

  @Test
  void aSidecarReconnectingToARestartedServerWithTheSameStateIsSentNothing() throws Exception {
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> s = sotw(ads(false), q);
    DiscoveryResponse first = firstListeners(s, q);
    s.onCompleted();

    AdsServer restarted = ads(false);
    BlockingQueue<Object> q2 = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> s2 = sotw(restarted, q2);
    // Envoy and grpc-xds resume with the version they run. (One JVM: that versions also agree across
    // JVMs follows from hashing serialized bytes, not from this test.)
    s2.onNext(DiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(LDS).setVersionInfo(first.getVersionInfo()).build());
    assertNull(q2.poll(500, TimeUnit.MILLISECONDS), "same state, same version: nothing pushed");
    assertEquals(0, restarted.stats().responses());
  }

  @Test
  void deltaIsOffUnlessEnabled() throws Exception {
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    StreamObserver<DeltaDiscoveryRequest> s = delta(ads(false), q);
    s.onNext(DeltaDiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(LDS).build());
    Object got = q.poll(5, TimeUnit.SECONDS);
    assertTrue(got instanceof StatusRuntimeException e
        && e.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED, String.valueOf(got));
  }

  @Test
  void aDeltaClientReconnectingToARestartedServerSeesTheSameVersionsAndThenOnlyWhatChanged() throws Exception {
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    StreamObserver<DeltaDiscoveryRequest> s = delta(ads(true), q);
    s.onNext(DeltaDiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(LDS).build());
    DeltaDiscoveryResponse first = (DeltaDiscoveryResponse) q.poll(5, TimeUnit.SECONDS);
    assertNotNull(first);
    assertEquals(1, first.getResourcesCount());
    String name = first.getResources(0).getName();
    String version = first.getResources(0).getVersion();
    s.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(LDS).setResponseNonce(first.getNonce()).build());
    s.onCompleted();

    AdsServer restarted = ads(true);
    BlockingQueue<Object> q2 = new LinkedBlockingQueue<>();
    StreamObserver<DeltaDiscoveryRequest> s2 = delta(restarted, q2);
    s2.onNext(DeltaDiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(LDS)
        .putInitialResourceVersions(name, version).build());
    // java-control-plane 1.0.49 answers a wildcard delta reconnect with the resources even when
    // initial_resource_versions match; what matters is that their versions are the same as before the
    // restart, so the client sees no change (no listener rebuilt, no drain).
    DeltaDiscoveryResponse again = (DeltaDiscoveryResponse) q2.poll(5, TimeUnit.SECONDS);
    assertNotNull(again);
    assertEquals(List.of(name + "@" + version),
        again.getResourcesList().stream().map(r -> r.getName() + "@" + r.getVersion()).toList());
    assertEquals(first.getSystemVersionInfo(), again.getSystemVersionInfo());
    s2.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(LDS).setResponseNonce(again.getNonce()).build());

    ports.set(Set.of(PORT, PORT + 1));
    restarted.changed(g -> true);
    Object next = q2.poll(5, TimeUnit.SECONDS);
    assertTrue(next instanceof DeltaDiscoveryResponse, String.valueOf(next));
    DeltaDiscoveryResponse added = (DeltaDiscoveryResponse) next;
    assertEquals(List.of(GrpcTranslator.listenerName(PORT + 1)),
        added.getResourcesList().stream().map(r -> r.getName()).toList(), "only what changed");
  }
}
