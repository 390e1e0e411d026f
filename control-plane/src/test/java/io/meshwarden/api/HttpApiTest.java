package io.meshwarden.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.aggregate.TrafficView;
import io.meshwarden.index.ClusterSnapshot;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HttpApiTest {
  /** A control plane whose cluster state has not been loaded yet. */
  private static final class NotReady implements HttpApi.State {
    @Override
    public boolean ready() {
      return false;
    }

    @Override
    public Optional<ClusterSnapshot> cluster() {
      return Optional.empty();
    }

    @Override
    public CompletableFuture<TrafficView> traffic() {
      return CompletableFuture.failedFuture(new IllegalStateException("no traffic before ready"));
    }

    @Override
    public List<Metric> metrics() {
      return List.of(Metric.counter("meshwarden_als_entries_total", "ALS entries accepted.", 3),
          new Metric("meshwarden_als_refused_by_reason_total", "counter", "by reason",
              java.util.Map.of("reason", "a \"quoted\" reason"), 2));
    }

    @Override
    public CompletableFuture<io.meshwarden.verdict.DryRunReport> dryRun(String namespace) {
      return CompletableFuture.failedFuture(new IllegalStateException("no verdicts before ready"));
    }

    @Override
    public CompletableFuture<List<io.meshwarden.finding.Finding>> driftFindings() {
      return CompletableFuture.failedFuture(new IllegalStateException("no verdicts before ready"));
    }
  }

  @Test
  void beforeTheClusterIsLoaded_liveAndMetricsAnswer_readinessAndDataAre503() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (HttpApi api = new HttpApi(new NotReady(), "test", "cluster.local")) {
      int port = api.listen("127.0.0.1", 0);
      java.util.function.Function<String, HttpResponse<String>> get = path -> {
        try {
          return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      };
      assertEquals(200, get.apply("/healthz").statusCode());
      for (String path : List.of("/readyz", "/api/v1/graph", "/api/v1/findings", "/api/v1/namespaces/default/dryrun")) {
        HttpResponse<String> r = get.apply(path);
        assertEquals(503, r.statusCode(), path);
        assertEquals("not_ready", new JsonObject(r.body()).getJsonObject("error").getString("code"), path);
      }
      HttpResponse<String> metrics = get.apply("/metrics");
      assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
      assertEquals("""
          # HELP meshwarden_als_entries_total ALS entries accepted.
          # TYPE meshwarden_als_entries_total counter
          meshwarden_als_entries_total 3
          # HELP meshwarden_als_refused_by_reason_total by reason
          # TYPE meshwarden_als_refused_by_reason_total counter
          meshwarden_als_refused_by_reason_total{reason="a \\"quoted\\" reason"} 2
          """, metrics.body());
    }
  }
}
