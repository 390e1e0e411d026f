package io.meshwarden.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.ManifestSource;
import io.meshwarden.serve.ServeRuntime;
import io.meshwarden.store.SqliteStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The UI's endpoints on Online Boutique (its manifests, its recorded hour replayed at start): each
 * answers what the UI draws, and bad input is a 400 with a stable code, never a 500.
 */
class UiApiTest {
  private static final String M = "../manifests/examples/online-boutique/";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ServeRuntime rt;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("ui-api-test");
    LiveIndex index = new LiveIndex(LiveIndex.Options.defaults());
    ManifestSource.load(index, List.of(M + "derived/kustomize-base+network-policies.rendered.yaml",
        M + "flows/endpointslices.yaml"), "default", java.io.InputStream.nullInputStream());
    StringWriter log = new StringWriter();
    rt = ServeRuntime.start(index, index.flush(), SqliteStore.open(dir),
        new ServeRuntime.Options(List.of(M + "flows/envoy-inbound-access-log.jsonl"), dir, "127.0.0.1", 0, 0, 0,
            "cluster.local", new LiveAggregator.Settings(1 << 16, Duration.ofDays(3650), Duration.ofSeconds(1),
                Clock.systemUTC()), "test"), new PrintWriter(log, true), new PrintWriter(log, true));
    assertTrue(rt.awaitReady(Duration.ofSeconds(30)), log.toString());
    rt.describe("recorded traffic");
  }

  @AfterAll
  static void stop() throws Exception {
    rt.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject ok(String path) throws Exception {
    HttpResponse<String> r = send("GET", path);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), path);
    return new JsonObject(r.body());
  }

  private static void error(String method, String path, int status, String code) throws Exception {
    HttpResponse<String> r = send(method, path);
    assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body());
    JsonObject e = new JsonObject(r.body()).getJsonObject("error");
    assertEquals(code, e.getString("code"), path);
    assertFalse(e.getString("message").isBlank(), path);
  }

  private static JsonObject find(JsonArray a, String key, String value) {
    for (Object o : a) {
      if (value.equals(((JsonObject) o).getString(key))) {
        return (JsonObject) o;
      }
    }
    return null;
  }

  @Test
  void overview_groupsNamespacesAndExternalPeers_withEdgeCountsPerKind() throws Exception {
    JsonObject o = ok("/api/v1/graph/overview");
    assertEquals(12, o.getInteger("workloads"));
    JsonObject ns = find(o.getJsonArray("groups"), "id", "default");
    assertEquals(12, ns.getInteger("nodes"));
    assertTrue(ns.getInteger("width") > 0 && ns.getInteger("height") > 0);
    assertNotNull(find(o.getJsonArray("groups"), "id", "_external"), "the internet's visitors are a group");
    JsonObject inside = null;
    JsonObject fromOutside = null;
    for (Object e : o.getJsonArray("edges")) {
      JsonObject edge = (JsonObject) e;
      if (edge.getString("source").equals("default") && edge.getString("target").equals("default")) {
        inside = edge;
      }
      if (edge.getString("source").equals("_external") && edge.getString("target").equals("default")) {
        fromOutside = edge;
      }
    }
    assertNotNull(inside, o.encode());
    assertTrue(inside.getJsonObject("pairs").getInteger("observed-allowed") >= 10, inside.encode());
    assertNotNull(fromOutside, o.encode());
    assertEquals(200, fromOutside.getLong("flows"), "200 requests from the internet to the frontend");
    error("GET", "/api/v1/graph/overview?x=1", 400, "bad_request");
    error("POST", "/api/v1/graph/overview", 405, "method_not_allowed");
  }

  @Test
  void namespaceGraph_placesEveryWorkload_andKeepsPositions_unobservedOnlyWhenAsked() throws Exception {
    JsonObject g = ok("/api/v1/namespaces/default/graph");
    Map<String, List<Integer>> positions = new HashMap<>();
    for (Object o : g.getJsonArray("nodes")) {
      JsonObject n = (JsonObject) o;
      if (n.getString("group").equals("default")) {
        positions.put(n.getString("id"), List.of(n.getInteger("x"), n.getInteger("y")));
      }
    }
    assertEquals(12, positions.size());
    assertEquals(12, positions.values().stream().distinct().count(), "no two workloads share a place");
    JsonObject cart = null;
    for (Object o : g.getJsonArray("edges")) {
      JsonObject e = (JsonObject) o;
      assertFalse(e.getString("kind").equals("allowed-unobserved"), "hidden unless asked: " + e);
      if (e.getString("source").equals("default/frontend[Deployment]")
          && e.getString("target").equals("default/cartservice[Deployment]")) {
        cart = e;
      }
    }
    assertNotNull(cart);
    assertEquals("observed-allowed", cart.getString("kind"));
    assertTrue(cart.getJsonObject("ports").getLong("TCP/7070") > 0, cart.encode());
    JsonObject withUnobserved = ok("/api/v1/namespaces/default/graph?unobserved=true");
    assertTrue(withUnobserved.getJsonArray("edges").stream()
        .anyMatch(e -> ((JsonObject) e).getString("kind").equals("allowed-unobserved")));
    JsonObject again = ok("/api/v1/namespaces/default/graph?unobserved=true");
    for (Object o : again.getJsonArray("nodes")) {
      JsonObject n = (JsonObject) o;
      if (positions.containsKey(n.getString("id"))) {
        assertEquals(positions.get(n.getString("id")), List.of(n.getInteger("x"), n.getInteger("y")));
      }
    }
    error("GET", "/api/v1/namespaces/Not_A_Namespace/graph", 400, "bad_request");
    error("GET", "/api/v1/namespaces/default/graph?unobserved=maybe", 400, "bad_request");
    error("GET", "/api/v1/namespaces/default/graph?unobserved=true&unobserved=false", 400, "bad_request");
    error("GET", "/api/v1/namespaces/nothing-here/graph", 404, "unknown_group");
  }

  @Test
  void externalGraph_holdsTheInternet() throws Exception {
    JsonObject g = ok("/api/v1/graph/external");
    assertNotNull(find(g.getJsonArray("nodes"), "id", "internet"), g.encode());
    error("GET", "/api/v1/graph/external?unobserved=true", 400, "bad_request");
  }

  @Test
  void workload_hasIdentityPoliciesEdgesAndCoverage() throws Exception {
    JsonObject w = ok("/api/v1/namespaces/default/workloads/cartservice");
    assertEquals("default/cartservice[Deployment]", w.getString("id"));
    assertEquals("default/Deployment/cartservice", w.getString("modelId"));
    assertEquals("spiffe://cluster.local/ns/default/sa/cartservice", w.getString("identity"));
    assertTrue(w.getString("location").contains("rendered.yaml:"), w.getString("location"));
    assertNotNull(find(w.getJsonArray("selectedBy"), "subject", "NetworkPolicy default/cartservice"), w.encode());
    JsonObject c = w.getJsonObject("coverage");
    assertTrue(c.getLong("flowsIn") > 0);
    assertTrue(c.getString("summary").startsWith("observed for "), c.getString("summary"));
    assertTrue(c.getJsonArray("blindSpots").size() > 0, "an HTTP access log cannot see everything: " + c);
    assertEquals(w, ok("/api/v1/namespaces/default/workloads/cartservice?kind=Deployment"));
    error("GET", "/api/v1/namespaces/default/workloads/cartservice?kind=StatefulSet", 404, "unknown_workload");
    error("GET", "/api/v1/namespaces/default/workloads/cartservice?kind=not%20a%20kind", 400, "bad_request");
    error("GET", "/api/v1/namespaces/default/workloads/NOT_A_NAME", 400, "bad_request");
    error("GET", "/api/v1/namespaces/default/workloads/nobody", 404, "unknown_workload");
    error("GET", "/api/v1/namespaces/default/workloads/cartservice?unobserved=true", 400, "bad_request");
    error("DELETE", "/api/v1/namespaces/default/workloads/cartservice", 405, "method_not_allowed");
  }

  @Test
  void aroundAWorkload_isItsNeighbourhood() throws Exception {
    JsonObject g = ok("/api/v1/namespaces/default/workloads/checkoutservice/graph");
    assertEquals("default/checkoutservice[Deployment]", g.getString("workload"));
    for (String n : List.of("frontend", "paymentservice", "emailservice", "cartservice")) {
      assertNotNull(find(g.getJsonArray("nodes"), "id", "default/" + n + "[Deployment]"), n + ": " + g.encode());
    }
    assertTrue(find(g.getJsonArray("nodes"), "id", "default/adservice[Deployment]") == null,
        "adservice is no neighbour of checkout");
    for (Object o : g.getJsonArray("edges")) {
      JsonObject e = (JsonObject) o;
      assertTrue(e.getString("source").equals(g.getString("workload")) || e.getString("target").equals(g.getString("workload")));
    }
    error("GET", "/api/v1/namespaces/default/workloads/nobody/graph", 404, "unknown_workload");
    error("GET", "/api/v1/namespaces/default/workloads/checkoutservice/graph?unobserved=1", 400, "bad_request");
  }

  @Test
  void about_openapi_andTheUiItself() throws Exception {
    JsonObject about = ok("/api/v1/about");
    assertEquals("recorded traffic", about.getString("notice"));
    assertEquals(true, about.getBoolean("ready"));
    error("GET", "/api/v1/about?verbose=1", 400, "bad_request");
    HttpResponse<String> spec = send("GET", "/api/v1/openapi.yaml");
    assertEquals(200, spec.statusCode());
    assertTrue(spec.body().startsWith("openapi: 3"), spec.body());
    // Valid YAML, with every path the UI reads.
    Object doc = new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
        .loadFromString(spec.body());
    Map<?, ?> paths = (Map<?, ?>) ((Map<?, ?>) doc).get("paths");
    for (String path : List.of("/api/v1/graph/overview", "/api/v1/graph/external", "/api/v1/namespaces/{ns}/graph",
        "/api/v1/namespaces/{ns}/workloads/{name}", "/api/v1/namespaces/{ns}/workloads/{name}/graph",
        "/api/v1/namespaces/{ns}/dryrun", "/api/v1/events", "/api/v1/about", "/api/v1/graph", "/api/v1/findings",
        "/api/v1/openapi.yaml", "/api/v1/namespaces/{ns}/proposal", "/api/v1/namespaces/{ns}/mode",
        "/api/v1/namespaces/{ns}/audit")) {
      assertTrue(paths.containsKey(path), "documented: " + path);
    }
    HttpResponse<String> root = send("GET", "/");
    assertEquals(302, root.statusCode());
    assertEquals("/ui/", root.headers().firstValue("location").orElse(""));
    HttpResponse<String> index = send("GET", "/ui/");
    assertEquals(200, index.statusCode());
    assertTrue(index.body().contains("<script src=\"app.js\">"), index.body());
    assertEquals(200, send("GET", "/ui/app.js").statusCode());
    error("GET", "/ui/nothing.js", 404, "not_found");
  }

  @Test
  void events_tellWhenTheStateMovesOn() throws Exception {
    CompletableFuture<HttpResponse<Stream<String>>> f = HTTP.sendAsync(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + rt.httpPort() + "/api/v1/events")).build(), HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> r = f.get(10, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    CompletableFuture<String> change = CompletableFuture.supplyAsync(() -> {
      Iterator<String> lines = r.body().iterator();
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.equals("event: change")) {
          return lines.next();
        }
      }
      return null;
    });
    JsonObject data = new JsonObject(change.get(10, TimeUnit.SECONDS).substring("data: ".length()));
    assertTrue(data.containsKey("clusterVersion") && data.containsKey("trafficVersion"), data.encode());
    r.body().close();
    error("GET", "/api/v1/events?since=3", 400, "bad_request");
  }
}
