package io.meshwarden.serve;

import static io.meshwarden.serve.ServeHttp.awaitMetric;
import static io.meshwarden.serve.ServeHttp.get;
import static io.meshwarden.serve.ServeHttp.metric;
import static io.meshwarden.serve.ServeHttp.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.als.AlsClient;
import io.meshwarden.als.AlsMessages;
import io.meshwarden.cli.MeshwardenCommandTestAccess;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.ManifestSource;
import io.meshwarden.store.SqliteStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} end to end in one JVM: Online Boutique's manifests as the cluster, a real gRPC ALS
 * client as cartservice's sidecar, and the HTTP API read back over HTTP.
 */
class ServeEndToEndIT {
  static final String M = "../manifests/examples/online-boutique/";
  static final List<String> MANIFESTS = List.of(M + "derived/kustomize-base+network-policies.rendered.yaml",
      M + "flows/endpointslices.yaml");
  static final String FLOWS = M + "flows/envoy-inbound-access-log.jsonl";
  private static final String FRONTEND = "spiffe://cluster.local/ns/default/sa/frontend";
  private final StringWriter log = new StringWriter();

  private ServeRuntime start(Path dir, List<String> flows) throws Exception {
    LiveIndex index = new LiveIndex(LiveIndex.Options.defaults());
    ManifestSource.load(index, MANIFESTS, "default", java.io.InputStream.nullInputStream());
    ServeRuntime rt = ServeRuntime.start(index, index.flush(), SqliteStore.open(dir),
        new ServeRuntime.Options(flows, dir, "127.0.0.1", 0, 0, 0, "cluster.local",
            new LiveAggregator.Settings(1 << 16, Duration.ofDays(30), Duration.ofSeconds(1), Clock.systemUTC()), "test"),
        new PrintWriter(log, true), new PrintWriter(log, true));
    assertTrue(rt.awaitReady(Duration.ofSeconds(30)), "ready: " + log);
    return rt;
  }

  private static JsonObject edge(JsonObject graph, String source, String target, int port) {
    for (Object o : graph.getJsonArray("edges")) {
      JsonObject e = (JsonObject) o;
      if (e.getString("source").equals(source) && e.getString("target").equals(target) && e.getInteger("port") == port) {
        return e;
      }
    }
    return null;
  }

  private static long count(JsonObject edge) {
    return edge.getJsonObject("observed").getLong("count");
  }

  @Test
  void alsEntriesBecomeEdges_forgedAddressesAreRefused_andARestartKeepsThem(@TempDir Path dir) throws Exception {
    Instant now = Instant.now();
    List<HTTPAccessLogEntry> first = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      first.add(AlsMessages.http("10.8.0.12", 7070, "10.8.0.10", FRONTEND, "POST", "/hipstershop.CartService/AddItem",
          200, now));
    }
    first.add(AlsMessages.http("10.8.0.11", 9555, "10.8.0.10", FRONTEND, "POST", "/x", 200, now)); // adservice's
    first.add(AlsMessages.http("10.99.0.1", 7070, "10.8.0.10", FRONTEND, "POST", "/x", 200, now)); // nobody's
    List<HTTPAccessLogEntry> second = List.of(
        AlsMessages.http("10.8.0.12", 7070, "10.8.0.10", FRONTEND, "POST", "/hipstershop.CartService/GetCart", 200, now),
        AlsMessages.http("10.8.0.12", 7070, "10.8.0.13", null, "POST", "/hipstershop.CartService/EmptyCart", 200, now));
    try (ServeRuntime rt = start(dir, List.of())) {
      assertEquals(200, get(rt, "/readyz").statusCode());
      AlsClient.send(rt.alsPort(), List.of(
          AlsMessages.message(AlsMessages.node("default", "cartservice-6b9d7c8f5-q2z", "cartservice", "10.8.0.12"),
              first, List.of()),
          AlsMessages.message(null, second, List.of())));
      awaitMetric(rt, "meshwarden_als_entries_total", 5);
      assertEquals(2, metric(rt, "meshwarden_als_refused_total"));
      assertEquals(0, metric(rt, "meshwarden_als_dropped_total"));
      JsonObject graph = new JsonObject(get(rt, "/api/v1/graph").body());
      JsonObject e = edge(graph, "default/frontend[Deployment]", "default/cartservice[Deployment]", 7070);
      assertEquals(4, count(e), graph.toString());
      assertEquals("TCP", e.getString("protocol"));
      assertTrue(e.getBoolean("allowed"), "Online Boutique's policies let the frontend reach the cart");
      JsonObject fromCheckout = edge(graph, "default/checkoutservice[Deployment]", "default/cartservice[Deployment]",
          7070);
      assertEquals(1, count(fromCheckout), "no certificate: the remote address decides");
      JsonObject forged = edge(graph, "default/frontend[Deployment]", "default/adservice[Deployment]", 9555);
      assertTrue(forged == null || forged.getValue("observed") == null, "the forged entry made no observed edge: " + forged);
      JsonObject node = graph.getJsonArray("nodes").getJsonObject(0);
      assertTrue(node.containsKey("id") && node.containsKey("namespace") && node.containsKey("name")
          && node.containsKey("kind"), node.toString());
    }
    try (ServeRuntime rt = start(dir, List.of())) {
      JsonObject graph = new JsonObject(get(rt, "/api/v1/graph").body());
      assertEquals(4, count(edge(graph, "default/frontend[Deployment]", "default/cartservice[Deployment]", 7070)),
          "the restart resumed from the store");
    }
  }

  @Test
  void aFlowFileReplayedAgainIsNotCountedTwice(@TempDir Path dir) throws Exception {
    long count;
    try (ServeRuntime rt = start(dir, List.of(FLOWS))) {
      assertEquals(1700, metric(rt, "meshwarden_flows_replayed_total"));
      count = count(edge(new JsonObject(get(rt, "/api/v1/graph").body()), "default/frontend[Deployment]",
          "default/cartservice[Deployment]", 7070));
      assertTrue(count > 0);
    }
    try (ServeRuntime rt = start(dir, List.of(FLOWS))) {
      assertEquals(0, metric(rt, "meshwarden_flows_replayed_total"));
      assertEquals(count, count(edge(new JsonObject(get(rt, "/api/v1/graph").body()), "default/frontend[Deployment]",
          "default/cartservice[Deployment]", 7070)));
      assertTrue(log.toString().contains("already ingested"), log.toString());
    }
  }

  @Test
  void findingsAreWhatAnalyzeReportsOnTheSameInput(@TempDir Path dir) throws Exception {
    Path offline = dir.resolve("offline.json");
    int code = MeshwardenCommandTestAccess.run("analyze", "-f", MANIFESTS.get(0), "-f", MANIFESTS.get(1), "--flows",
        FLOWS, "-q", "-o", "json", "--output-file", offline.toString());
    assertTrue(code == 0 || code == 1, "analyze ran: " + code);
    try (ServeRuntime rt = start(dir.resolve("state"), List.of(FLOWS))) {
      HttpResponse<String> r = get(rt, "/api/v1/findings");
      assertEquals(200, r.statusCode(), r.body());
      JsonArray live = new JsonObject(r.body()).getJsonArray("findings");
      JsonArray batch = new JsonObject(Files.readString(offline)).getJsonArray("findings");
      assertTrue(batch.size() > 0);
      assertEquals(batch, live);
    }
  }

  @Test
  void badInputIs400_andEveryErrorIsJsonWithACode(@TempDir Path dir) throws Exception {
    try (ServeRuntime rt = start(dir, List.of())) {
      for (String bad : List.of("/api/v1/graph?namespace=Not_A_Namespace", "/api/v1/graph?nope=1",
          "/api/v1/findings?max-path-length=0", "/api/v1/findings?max-path-length=x",
          "/api/v1/graph?namespace=a&namespace=b")) {
        HttpResponse<String> r = get(rt, bad);
        assertEquals(400, r.statusCode(), bad);
        JsonObject error = new JsonObject(r.body()).getJsonObject("error");
        assertEquals("bad_request", error.getString("code"), bad);
        assertTrue(error.getString("message").length() > 10, bad);
      }
      assertEquals("not_found", new JsonObject(get(rt, "/api/v2/graph").body()).getJsonObject("error").getString("code"));
      HttpResponse<String> post = post(rt, "/api/v1/graph", "{");
      assertEquals(405, post.statusCode());
      JsonObject ns = new JsonObject(get(rt, "/api/v1/graph?namespace=default").body());
      assertTrue(ns.getJsonArray("nodes").size() > 0);
    }
  }
}
