package io.meshwarden.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
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
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
  static GrpcApp app;

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

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      appPort = s.getLocalPort();
    }
    ads = new AdsServer(new AdsServer.Settings(false, Duration.ofMillis(50), Duration.ofSeconds(1)),
        (ns, pod) -> pod.startsWith("echo-") ? Optional.of("echo") : Optional.empty(), AdsEndToEndIT::build, LOG::add);
    ads.ready();
    adsGrpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(ads.ads()).build().start();
    app = new GrpcApp(appPort, adsGrpc.getPort(), "default", "echo-7d9f-abcde", "echo", "test.Echo",
        List.of(OBSERVED, UNOBSERVED));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (app != null) {
      app.close();
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
    app.allowed(OBSERVED);
    app.allowed(UNOBSERVED);
    assertEquals(List.of(group()), List.copyOf(ads.groups()), "the node's group comes from its pod's workload");
  }

  @Test
  @Order(2)
  void dryRunDeniesNothing() throws Exception {
    String before = ads.version(group()).orElseThrow();
    LAYERS.set(PolicyLayers.dryRun(policy(OBSERVED)));
    ads.changed(g -> true);
    GrpcApp.eventually(() -> assertTrue(!ads.version(group()).orElseThrow().equals(before)));
    Thread.sleep(300);
    app.allowed(OBSERVED);
    app.allowed(UNOBSERVED);
  }

  @Test
  @Order(3)
  void enforceAllowsTheObservedMethodAndDeniesTheOther() throws Exception {
    LAYERS.set(PolicyLayers.enforce(policy(OBSERVED), policy(OBSERVED)));
    ads.changed(g -> true);
    GrpcApp.eventually(() -> app.denied(UNOBSERVED));
    app.allowed(OBSERVED);
  }

  @Test
  @Order(4)
  void aNewlyApprovedEdgeIsAllowedWithoutRestart() throws Exception {
    LAYERS.set(PolicyLayers.enforce(policy(OBSERVED, UNOBSERVED), policy(OBSERVED, UNOBSERVED)));
    ads.changed(g -> true);
    GrpcApp.eventually(() -> app.allowed(UNOBSERVED));
    app.allowed(OBSERVED);
  }

  @Test
  @Order(5)
  void anInvalidSnapshotIsRefusedAndThePreviousPolicyKeepsWorking() throws Exception {
    LAYERS.set(PolicyLayers.enforce(policy(OBSERVED), policy(OBSERVED)));
    ads.changed(g -> true);
    GrpcApp.eventually(() -> app.denied(UNOBSERVED));
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
    app.allowed(OBSERVED);
    app.denied(UNOBSERVED);
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
