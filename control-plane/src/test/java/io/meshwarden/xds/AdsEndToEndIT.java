package io.meshwarden.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.xds.XdsServerBuilder;
import io.meshwarden.model.Protocol;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.listener.ServedTranslator;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.Provenance;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real proxyless gRPC server (grpc-xds {@code XdsServerBuilder}) configured by our ADS server,
 * called by a real gRPC client over plaintext: the enforced rules admit the caller's address for the
 * observed method only. One server for the whole class (grpc-xds shares its xDS client per JVM).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdsEndToEndIT {
  static final String OBSERVED = "test.Echo/Observed";
  static final String UNOBSERVED = "test.Echo/Unobserved";
  static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());
  static final AtomicReference<PolicyLayers> LAYERS = new AtomicReference<>(PolicyLayers.observe());
  static final AtomicReference<Boolean> BREAK = new AtomicReference<>(false);
  static int appPort;
  static AdsServer ads;
  static Server adsGrpc;
  static Server app;
  static ManagedChannel channel;

  static WorkloadPolicy policy(String... methods) {
    List<HttpMatch> http = new ArrayList<>();
    for (String m : methods) {
      http.add(new HttpMatch("POST", "/" + m, false));
    }
    PortRule rule = new PortRule(Protocol.TCP, appPort, null, List.of(Peer.cidr("127.0.0.1/32")), http,
        Provenance.system("observed in the test"));
    return new WorkloadPolicy("default", "default/Deployment/echo", "echo", Map.of("app", "echo"), "echo",
        List.of(rule), List.of());
  }

  static ServedResources build(GroupKey g) {
    ServedResources r = ServedTranslator.grpc("default/Deployment/echo", Set.of(appPort), LAYERS.get(),
        TranslatorOptions.DEFAULTS);
    if (BREAK.get()) {
      // A listener grpc-xds could not use: bound to another address than its name says.
      Listener bad = r.listeners().get(0).toBuilder().setAddress(r.listeners().get(0).getAddress().toBuilder()
          .setSocketAddress(r.listeners().get(0).getAddress().getSocketAddress().toBuilder().setAddress("127.0.0.1")))
          .build();
      return new ServedResources(r.workloadId(), List.of(bad), r.routes(), r.clusters(), r.notes());
    }
    return r;
  }

  static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  };

  static MethodDescriptor<String, String> method(String name) {
    return MethodDescriptor.<String, String>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(name).setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
  }

  static String call(String name) {
    return ClientCalls.blockingUnaryCall(channel, method(name), CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
        "hi");
  }

  /** Calls until the expectation holds (a pushed change takes the debounce plus ~100 ms to apply). */
  static void eventually(Runnable expectation) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        expectation.run();
        return;
      } catch (AssertionError | StatusRuntimeException e) {
        if (System.nanoTime() > end) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  static void allowed(String m) {
    assertEquals("hi", call(m));
  }

  static void denied(String m) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call(m));
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), e.toString());
  }

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      appPort = s.getLocalPort();
    }
    ads = new AdsServer(new AdsServer.Settings(false, Duration.ofMillis(50), Duration.ofSeconds(1)),
        (ns, pod) -> pod.startsWith("echo-") ? Optional.of("echo") : Optional.empty(), AdsEndToEndIT::build, LOG::add);
    ads.ready();
    adsGrpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(ads.ads()).build().start();
    Map<String, Object> bootstrap = Map.of(
        "xds_servers", List.of(Map.of("server_uri", "127.0.0.1:" + adsGrpc.getPort(),
            "channel_creds", List.of(Map.of("type", "insecure")), "server_features", List.of("xds_v3"))),
        "node", Map.of("id", "echo-7d9f-abcde.default", "metadata",
            Map.of("NAMESPACE", "default", "NAME", "echo-7d9f-abcde", "SERVICE_ACCOUNT", "echo")),
        "server_listener_resource_name_template", "grpc/server?xds.resource.listening_address=%s");
    ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
        .addMethod(method(OBSERVED), ServerCalls.asyncUnaryCall((req, obs) -> {
          obs.onNext(req);
          obs.onCompleted();
        }))
        .addMethod(method(UNOBSERVED), ServerCalls.asyncUnaryCall((req, obs) -> {
          obs.onNext(req);
          obs.onCompleted();
        }))
        .build();
    app = XdsServerBuilder.forPort(appPort, InsecureServerCredentials.create()).overrideBootstrapForTest(bootstrap)
        .addService(echo).build().start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", appPort, InsecureChannelCredentials.create()).build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (app != null) {
      app.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (adsGrpc != null) {
      adsGrpc.shutdownNow();
    }
    if (ads != null) {
      ads.close();
    }
  }

  static GroupKey group() {
    return new GroupKey("default", "echo", "echo", GroupKey.Form.GRPC);
  }

  @Test
  @Order(1)
  void observeAllowsEverything() {
    allowed(OBSERVED);
    allowed(UNOBSERVED);
    assertEquals(List.of(group()), List.copyOf(ads.groups()), "the node's group comes from its pod's workload");
  }

  @Test
  @Order(2)
  void dryRunDeniesNothing() throws Exception {
    String before = ads.version(group()).orElseThrow();
    LAYERS.set(PolicyLayers.dryRun(policy(OBSERVED)));
    ads.changed(g -> true);
    eventually(() -> assertTrue(!ads.version(group()).orElseThrow().equals(before)));
    Thread.sleep(300);
    allowed(OBSERVED);
    allowed(UNOBSERVED);
  }

  @Test
  @Order(3)
  void enforceAllowsTheObservedMethodAndDeniesTheOther() throws Exception {
    LAYERS.set(PolicyLayers.enforce(policy(OBSERVED), policy(OBSERVED)));
    ads.changed(g -> true);
    eventually(() -> denied(UNOBSERVED));
    allowed(OBSERVED);
  }

  @Test
  @Order(4)
  void aNewlyApprovedEdgeIsAllowedWithoutRestart() throws Exception {
    LAYERS.set(PolicyLayers.enforce(policy(OBSERVED, UNOBSERVED), policy(OBSERVED, UNOBSERVED)));
    ads.changed(g -> true);
    eventually(() -> allowed(UNOBSERVED));
    allowed(OBSERVED);
  }

  @Test
  @Order(5)
  void anInvalidSnapshotIsRefusedAndThePreviousPolicyKeepsWorking() throws Exception {
    LAYERS.set(PolicyLayers.enforce(policy(OBSERVED), policy(OBSERVED)));
    ads.changed(g -> true);
    eventually(() -> denied(UNOBSERVED));
    String good = ads.version(group()).orElseThrow();
    long refusedBefore = ads.stats().refusedSnapshots();
    BREAK.set(true);
    try {
      LAYERS.set(PolicyLayers.observe());
      assertInstanceOf(PolicyCache.Refused.class, ads.rebuild(group()));
    } finally {
      BREAK.set(false);
    }
    assertEquals(refusedBefore + 1, ads.stats().refusedSnapshots());
    assertEquals(good, ads.version(group()).orElseThrow());
    assertTrue(LOG.stream().anyMatch(l -> l.contains("\"event\":\"xds_snapshot_refused\"") && l.contains(good)
        && l.contains("must be named")), String.join("\n", LOG));
    Thread.sleep(300);
    allowed(OBSERVED);
    denied(UNOBSERVED);
  }

  @Test
  @Order(6)
  void theSameStateGivesTheSameVersionInAFreshServer() {
    LAYERS.set(PolicyLayers.enforce(policy(OBSERVED), policy(OBSERVED)));
    String served = ads.version(group()).orElseThrow();
    try (AdsServer restarted = new AdsServer(AdsServer.Settings.defaults(), (ns, pod) -> Optional.of("echo"),
        AdsEndToEndIT::build, l -> { })) {
      assertInstanceOf(PolicyCache.Applied.class, restarted.rebuild(group()));
      assertEquals(served, restarted.version(group()).orElseThrow());
    }
  }
}
