package io.meshwarden.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.meshwarden.aggregate.TrafficView;
import io.meshwarden.finding.Finding;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.verdict.DryRunReport;
import io.meshwarden.verdict.LiveVerdicts;
import io.meshwarden.verdict.VerdictFixtures;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/namespaces/{ns}/dryrun}: the report, and every kind of bad request. */
class DryRunApiTest {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  final HttpClient http = HttpClient.newHttpClient();
  final VerdictFixtures.Served served = new VerdictFixtures.Served();
  LiveVerdicts verdicts;
  HttpApi api;
  int port;

  /** A ready control plane over a cluster with namespaces shop and quiet. */
  final class Ready implements HttpApi.State {
    private final ClusterSnapshot cluster;

    Ready(ClusterSnapshot cluster) {
      this.cluster = cluster;
    }

    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public Optional<ClusterSnapshot> cluster() {
      return Optional.of(cluster);
    }

    @Override
    public CompletableFuture<TrafficView> traffic() {
      return CompletableFuture.failedFuture(new IllegalStateException("not asked here"));
    }

    @Override
    public List<Metric> metrics() {
      return List.of();
    }

    @Override
    public CompletableFuture<DryRunReport> dryRun(String namespace) {
      return verdicts.report(namespace);
    }

    @Override
    public CompletableFuture<List<Finding>> driftFindings() {
      return verdicts.driftFindings();
    }
  }

  @BeforeEach
  void start() throws Exception {
    ClusterSnapshot cluster;
    try (LiveIndex index = new LiveIndex(LiveIndex.Options.defaults())) {
      index.apply(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build());
      index.apply(new NamespaceBuilder().withNewMetadata().withName("quiet").endMetadata().build());
      cluster = index.flush().get(10, TimeUnit.SECONDS);
    }
    served.set(VerdictFixtures.dryRun("v1", VerdictFixtures.envoy(PolicyLayers.dryRun(VerdictFixtures.CART_POLICY))));
    verdicts = new LiveVerdicts(served, LiveVerdicts.Settings.defaults(Duration.ofDays(1),
        new VerdictFixtures.TestClock(T0.plusSeconds(1))), line -> { }).start();
    api = new HttpApi(new Ready(cluster), "test", "cluster.local");
    port = api.listen("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    api.close();
    verdicts.close();
  }

  HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String errorCode(HttpResponse<String> r) {
    return new JsonObject(r.body()).getJsonObject("error").getString("code");
  }

  @Test
  void wouldDenyFlowsAreGroupedByDestinationAndRule_withCountsTimesAndSamples() throws Exception {
    VerdictFixtures.accept(verdicts, VerdictFixtures.call(T0, VerdictFixtures.FRONTEND_SAN, VerdictFixtures.EMPTY_CART),
        VerdictFixtures.FRONTEND);
    VerdictFixtures.accept(verdicts, VerdictFixtures.call(T0, VerdictFixtures.FRONTEND_SAN, VerdictFixtures.GET_CART),
        VerdictFixtures.FRONTEND);
    HttpResponse<String> r = send("GET", "/api/v1/namespaces/shop/dryrun");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    JsonObject body = new JsonObject(r.body());
    assertEquals("dry-run", body.getString("mode"));
    assertEquals("v1", body.getString("proposalVersion"));
    assertNull(body.getValue("drift"), "nothing is enforced in dry-run");
    JsonObject wouldDeny = body.getJsonObject("wouldDeny");
    assertEquals("v1", wouldDeny.getString("version"));
    assertEquals(1, wouldDeny.getLong("total"));
    JsonObject destination = wouldDeny.getJsonArray("byDestination").getJsonObject(0);
    assertEquals("shop/cart[Deployment]", destination.getString("destination"));
    JsonObject rule = destination.getJsonArray("rules").getJsonObject(0);
    assertEquals(VerdictFixtures.RULE, rule.getString("policy"));
    assertEquals("PEER_ADMITTED_REQUEST_NOT", rule.getString("reason"));
    JsonObject flow = rule.getJsonArray("flows").getJsonObject(0);
    assertEquals("shop/frontend[Deployment]", flow.getString("peer"));
    assertEquals(VerdictFixtures.EMPTY_CART, flow.getString("path"));
    assertEquals(1, flow.getLong("count"));
    assertEquals(T0.toString(), flow.getString("firstSeen"));
    assertEquals(1, flow.getJsonArray("samples").size());
    assertEquals("10.0.0.10", flow.getJsonArray("samples").getJsonObject(0).getString("sourceAddress"));
    JsonObject version = body.getJsonArray("versions").getJsonObject(0);
    assertEquals(2, version.getLong("judged"));
    assertEquals(1, version.getLong("denied"));
  }

  @Test
  void aKnownNamespaceNothingIsServedTo_isObserveWithNothingJudged() throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/namespaces/quiet/dryrun");
    assertEquals(200, r.statusCode(), r.body());
    JsonObject body = new JsonObject(r.body());
    assertEquals("observe", body.getString("mode"));
    assertEquals(0, body.getJsonObject("wouldDeny").getLong("total"));
  }

  @Test
  void badInputIs400_anUnknownNamespace404_anotherMethod405_allAsJsonErrors() throws Exception {
    for (String bad : List.of("/api/v1/namespaces/Shop_1/dryrun", "/api/v1/namespaces/-shop/dryrun",
        "/api/v1/namespaces/" + "a".repeat(64) + "/dryrun", "/api/v1/namespaces/shop/dryrun?verbose=1")) {
      HttpResponse<String> r = send("GET", bad);
      assertEquals(400, r.statusCode(), bad + ": " + r.body());
      assertEquals("bad_request", errorCode(r), bad);
    }
    HttpResponse<String> unknown = send("GET", "/api/v1/namespaces/nosuch/dryrun");
    assertEquals(404, unknown.statusCode(), unknown.body());
    assertEquals("not_found", errorCode(unknown));
    assertTrue(new JsonObject(unknown.body()).getJsonObject("error").getString("message").contains("nosuch"));
    HttpResponse<String> post = send("POST", "/api/v1/namespaces/shop/dryrun");
    assertEquals(405, post.statusCode(), post.body());
    assertEquals("method_not_allowed", errorCode(post));
  }

  @Test
  void aFailedReportIs503_never500() throws Exception {
    verdicts.close();
    HttpResponse<String> r = send("GET", "/api/v1/namespaces/shop/dryrun");
    assertEquals(503, r.statusCode(), r.body());
    assertEquals("unavailable", errorCode(r));
  }
}
