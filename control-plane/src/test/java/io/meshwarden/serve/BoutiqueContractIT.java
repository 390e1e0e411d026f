package io.meshwarden.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.ManifestSource;
import io.meshwarden.store.SqliteStore;
import io.meshwarden.xds.GrpcApp;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Contract scenario: the bundled Online Boutique, namespace {@code default} labelled
 * {@code meshwarden.io/mode: dry-run}, served with its recorded flows. This JVM plays two pods:
 * cartservice, a real proxyless gRPC server on its recorded port 7070, and frontend, whose pod
 * address is loopback, calling it in plaintext. Exactly the API calls of the contract: GET proposal,
 * POST mode enforce with that version; then the observed method passes and an unobserved one is
 * denied.
 */
class BoutiqueContractIT {
  static final String M = "../manifests/examples/online-boutique/";
  static final String GET_CART = "hipstershop.CartService/GetCart";
  static final String UNOBSERVED = "hipstershop.CartService/DropAllCarts";
  static final String CART_POD = "cartservice-6b9d7c8f5-q2z";
  final HttpClient http = HttpClient.newHttpClient();

  static Pod pod(String app, String hash, String name, String ip) {
    return new PodBuilder().withNewMetadata().withNamespace("default").withName(name)
        .withLabels(Map.of("app", app, "pod-template-hash", hash))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
            .withName(app + "-" + hash).withController(true).build()).endMetadata()
        .withNewSpec().withServiceAccountName(app).addNewContainer().withName("server").withImage(app + ":1")
        .endContainer().endSpec().withNewStatus().withPhase("Running").withPodIP(ip).endStatus().build();
  }

  HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void getProposal_enforceThatVersion_theObservedMethodPassesAndAnUnobservedOneIsDenied(@TempDir Path dir)
      throws Exception {
    try (ServerSocket probe = new ServerSocket(7070)) {
      // free: cartservice's recorded port is where this test's server listens
    } catch (java.io.IOException e) {
      throw new AssertionError("port 7070 (cartservice's, as recorded) is taken on this machine: " + e.getMessage());
    }
    StringWriter log = new StringWriter();
    LiveIndex index = new LiveIndex(LiveIndex.Options.defaults());
    ManifestSource.load(index, List.of(M + "upstream/release/kubernetes-manifests.yaml",
        M + "flows/endpointslices.yaml"), "default", java.io.InputStream.nullInputStream());
    index.apply(new NamespaceBuilder().withNewMetadata().withName("default")
        .addToLabels(Map.of("kubernetes.io/metadata.name", "default", "meshwarden.io/mode", "dry-run")).endMetadata()
        .build());
    index.apply(pod("cartservice", "6b9d7c8f5", CART_POD, "10.8.0.12"));
    index.apply(pod("frontend", "6b9d7c8f5", "frontend-6b9d7c8f5-q0z", "127.0.0.1"));
    try (ServeRuntime rt = ServeRuntime.start(index, index.flush(), SqliteStore.open(dir),
        new ServeRuntime.Options(List.of(M + "flows/envoy-inbound-access-log.jsonl"), dir, "127.0.0.1", 0, 0, 0,
            "cluster.local", new LiveAggregator.Settings(1 << 16, Duration.ofDays(30), Duration.ofSeconds(1),
                Clock.systemUTC()), "test"),
        new PrintWriter(log, true), new PrintWriter(log, true))) {
      assertTrue(rt.awaitReady(Duration.ofSeconds(60)), "ready: " + log);
      String base = "http://127.0.0.1:" + rt.httpPort() + "/api/v1/namespaces/default/";
      try (GrpcApp cart = new GrpcApp(7070, rt.xdsPort(), "default", CART_POD, "cartservice",
          "hipstershop.CartService", List.of(GET_CART, UNOBSERVED))) {
        cart.allowed(GET_CART);
        cart.allowed(UNOBSERVED);

        HttpResponse<String> proposal = send(HttpRequest.newBuilder(URI.create(base + "proposal")));
        assertEquals(200, proposal.statusCode(), proposal.body());
        JsonObject p = new JsonObject(proposal.body());
        assertEquals("dry-run", p.getString("mode"));
        HttpResponse<String> enforce = send(HttpRequest.newBuilder(URI.create(base + "mode"))
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("mode", "enforce")
                .put("approvedVersion", p.getString("version")).put("reason", "reviewed the proposal").encode())));
        assertEquals(200, enforce.statusCode(), enforce.body());

        GrpcApp.eventually(() -> cart.denied(UNOBSERVED));
        cart.allowed(GET_CART);
      }
    }
  }
}
