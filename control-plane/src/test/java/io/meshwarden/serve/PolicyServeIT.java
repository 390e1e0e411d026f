package io.meshwarden.serve;

import static io.meshwarden.serve.ServeHttp.get;
import static io.meshwarden.serve.ServeHttp.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.als.AlsClient;
import io.meshwarden.als.AlsMessages;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.store.SqliteStore;
import io.meshwarden.xds.GroupKey;
import io.meshwarden.xds.GrpcApp;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path to enforcement end to end in one JVM, through {@code serve}'s runtime: the namespace
 * {@code shop} is labelled dry-run; its workload echo is a real proxyless gRPC server (grpc-xds
 * {@code XdsServerBuilder}) configured by meshwarden's ADS server, called by a real plaintext gRPC
 * client from loopback; what it observes comes in over ALS, and everything else over the HTTP API.
 */
class PolicyServeIT {
  static final String OBSERVED = "test.Echo/Observed";
  static final String UNOBSERVED = "test.Echo/Unobserved";
  static final String POD = "echo-7d9f8c6b5d-abcde";
  static final String POD_IP = "10.9.0.5";
  final StringWriter log = new StringWriter();

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Namespace shop (labelled dry-run) with Deployment echo serving on {@code appPort}, two pods. */
  static LiveIndex cluster(int appPort) {
    LiveIndex index = new LiveIndex(LiveIndex.Options.defaults());
    index.apply(new NamespaceBuilder().withNewMetadata().withName("shop")
        .addToLabels(Map.of("kubernetes.io/metadata.name", "shop", "meshwarden.io/mode", "dry-run")).endMetadata()
        .build());
    Map<String, String> labels = Map.of("app", "echo");
    PodTemplateSpec template = new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().withServiceAccountName("echo").withContainers(new ContainerBuilder().withName("echo")
            .withImage("echo:1").addNewPort().withName("grpc").withContainerPort(appPort).endPort().build())
        .endSpec().build();
    index.apply(new DeploymentBuilder().withNewMetadata().withNamespace("shop").withName("echo").endMetadata()
        .withNewSpec().withReplicas(2).withTemplate(template).endSpec().build());
    int i = 5;
    for (String pod : List.of(POD, "echo-7d9f8c6b5d-fghij")) {
      index.apply(new PodBuilder().withNewMetadata().withNamespace("shop").withName(pod)
          .withLabels(Map.of("app", "echo", "pod-template-hash", "7d9f8c6b5d"))
          .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
              .withName("echo-7d9f8c6b5d").withController(true).build()).endMetadata()
          .withSpec(template.getSpec()).withNewStatus().withPhase("Running").withPodIP("10.9.0." + i++).endStatus()
          .build());
    }
    return index;
  }

  ServeRuntime start(Path dir, int appPort, int xdsPort) throws Exception {
    LiveIndex index = cluster(appPort);
    ServeRuntime rt = ServeRuntime.start(index, index.flush(), SqliteStore.open(dir),
        new ServeRuntime.Options(List.of(), dir, "127.0.0.1", xdsPort, 0, 0, "cluster.local",
            new LiveAggregator.Settings(1 << 16, Duration.ofDays(30), Duration.ofMillis(200), Clock.systemUTC()), "test"),
        new PrintWriter(log, true), new PrintWriter(log, true));
    assertTrue(rt.awaitReady(Duration.ofSeconds(30)), "ready: " + log);
    return rt;
  }

  /** Echo's sidecar reports calls of {@code method} from loopback. */
  static void observe(ServeRuntime rt, int appPort, String method, int times) throws Exception {
    List<HTTPAccessLogEntry> entries = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      entries.add(AlsMessages.http(POD_IP, appPort, "127.0.0.1", null, "POST", "/" + method, 200, Instant.now()));
    }
    AlsClient.send(rt.alsPort(), List.of(AlsMessages.message(AlsMessages.node("shop", POD, "echo", POD_IP),
        entries, List.of())));
  }

  /** The newest proposal of shop once it admits {@code method}. */
  JsonObject proposalWith(ServeRuntime rt, String method) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      HttpResponse<String> r = get(rt, "/api/v1/namespaces/shop/proposal");
      if (r.statusCode() == 200 && r.body().contains(method)) {
        return new JsonObject(r.body());
      }
      assertTrue(System.nanoTime() < end, "no proposal with " + method + ": " + r.body() + "\n" + log);
      Thread.sleep(100);
    }
  }

  void enforce(ServeRuntime rt, String version) throws Exception {
    HttpResponse<String> r = post(rt, "/api/v1/namespaces/shop/mode",
        new JsonObject().put("mode", "enforce").put("approvedVersion", version).put("reason", "reviewed").encode());
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void dryRunThenEnforceThenANewlyApprovedEdgeThenARestart(@TempDir Path dir) throws Exception {
    int appPort = freePort();
    int xdsPort = freePort();
    GroupKey group = new GroupKey("shop", "echo", "echo", GroupKey.Form.GRPC);
    String served;
    String listenerVersion;
    ServeRuntime rt = start(dir, appPort, xdsPort);
    try (GrpcApp app = new GrpcApp(appPort, xdsPort, "shop", POD, "echo", "test.Echo", List.of(OBSERVED, UNOBSERVED))) {
      try {
        observe(rt, appPort, OBSERVED, 3);
        JsonObject v1 = proposalWith(rt, OBSERVED);
        assertEquals("dry-run", v1.getString("mode"));
        assertTrue(v1.encode().contains("127.0.0.1/32"), "the loopback caller is a /32 peer: " + v1.encode());
        GrpcApp.eventually(() -> assertEquals(v1.getString("version"),
            rt.modes().namespace("shop").orElseThrow().proposalVersion()));
        Thread.sleep(500);
        app.allowed(OBSERVED);
        app.allowed(UNOBSERVED);

        enforce(rt, v1.getString("version"));
        GrpcApp.eventually(() -> app.denied(UNOBSERVED));
        app.allowed(OBSERVED);

        observe(rt, appPort, UNOBSERVED, 1);
        JsonObject v2 = proposalWith(rt, UNOBSERVED);
        assertNotEquals(v1.getString("version"), v2.getString("version"));
        assertEquals("enforce", v2.getString("mode"));
        app.denied(UNOBSERVED);
        enforce(rt, v2.getString("version"));
        GrpcApp.eventually(() -> app.allowed(UNOBSERVED));
        app.allowed(OBSERVED);

        assertNackIsNotResent(xdsPort);
        served = rt.ads().version(group).orElseThrow();
        try (RawAds sidecar = new RawAds(xdsPort)) {
          sidecar.request("");
          GrpcApp.eventually(() -> assertEquals(1, sidecar.responses.size()));
          listenerVersion = sidecar.responses.get(0).getVersionInfo();
        }
      } finally {
        rt.close();
      }
      // The control plane is away: the server keeps enforcing what it last got.
      app.allowed(UNOBSERVED);
      try (ServeRuntime again = start(dir, appPort, xdsPort); RawAds sidecar = new RawAds(xdsPort)) {
        // A sidecar of the same group resumes with the listener version it holds.
        sidecar.request(listenerVersion);
        GrpcApp.eventually(() -> assertTrue(again.ads().groups().contains(group), "the group is rebuilt on connect"));
        Thread.sleep(1500);
        assertEquals(served, again.ads().version(group).orElseThrow(), "the same state gives the same version");
        assertEquals(List.of(), sidecar.responses, "a restart pushes nothing new");
        // No count of all responses here: the real grpc-xds server above may reconnect inside this
        // window on its own backoff and be answered on its new stream; what a restart must not do
        // is push a new version to a sidecar that resumes with the one it holds (asserted above).
        assertEquals("enforce", new JsonObject(get(again, "/api/v1/namespaces/shop/proposal").body()).getString("mode"));
        app.allowed(OBSERVED);
        app.allowed(UNOBSERVED);
      }
    }
  }

  /** A raw ADS stream as echo's second pod (a proxyless gRPC node asking for listeners). */
  static final class RawAds implements AutoCloseable {
    static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    final ManagedChannel channel;
    final List<DiscoveryResponse> responses = new java.util.concurrent.CopyOnWriteArrayList<>();
    final StreamObserver<DiscoveryRequest> stream;
    final Node node = AlsMessages.node("shop", "echo-7d9f8c6b5d-fghij", "echo", "10.9.0.6");

    RawAds(int xdsPort) {
      channel = NettyChannelBuilder.forAddress("127.0.0.1", xdsPort).usePlaintext().build();
      stream = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
        @Override
        public void onNext(DiscoveryResponse r) {
          responses.add(r);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      });
    }

    void request(String versionHeld) {
      stream.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS).setNode(node).setVersionInfo(versionHeld).build());
    }

    void nack(DiscoveryResponse r, String why) {
      stream.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS).setResponseNonce(r.getNonce())
          .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage(why)).build());
    }

    @Override
    public void close() throws InterruptedException {
      stream.onCompleted();
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** One NACK of the version in force is logged and gets no resend (no loop). */
  void assertNackIsNotResent(int xdsPort) throws Exception {
    try (RawAds sidecar = new RawAds(xdsPort)) {
      sidecar.request("");
      GrpcApp.eventually(() -> assertEquals(1, sidecar.responses.size()));
      sidecar.nack(sidecar.responses.get(0), "rejected by the test");
      Thread.sleep(1500);
      assertEquals(1, sidecar.responses.size(), "a NACK of the version in force is not answered with it again");
      assertTrue(log.toString().contains("\"event\":\"xds_nack\"") && log.toString().contains("rejected by the test"),
          "the NACK is logged with its error_detail");
    }
  }
}
