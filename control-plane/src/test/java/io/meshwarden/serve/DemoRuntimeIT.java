package io.meshwarden.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshwarden demo} end to end: the recording reaches the graph through the ALS receiver
 * (counted as ALS entries, never as replayed files), and keeps arriving afterwards.
 */
class DemoRuntimeIT {
  private final HttpClient http = HttpClient.newHttpClient();

  private String get(DemoRuntime d, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(d.url("127.0.0.1") + path.substring(1)))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return r.body();
  }

  @Test
  void theRecordingArrivesThroughAls_andKeepsComing(@TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    long started = System.nanoTime();
    try (DemoRuntime d = DemoRuntime.start(new DemoRuntime.Options(dir, "127.0.0.1", 0, 0, 0, 50, "test"),
        Duration.ofSeconds(50), new PrintWriter(log, true), new PrintWriter(log, true))) {
      assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 60, "ready within a minute");
      assertEquals(1700, d.sentAtStart(), log.toString());
      assertEquals(1700, d.serve().counters().accepted(), "every entry was an ALS entry the receiver accepted: " + log);
      assertEquals(0, d.serve().counters().replayedFlows(), "nothing took the --flows shortcut");
      JsonObject graph = new JsonObject(get(d, "/api/v1/graph"));
      JsonObject edge = null;
      for (Object o : graph.getJsonArray("edges")) {
        JsonObject e = (JsonObject) o;
        if (e.getString("source").equals("default/frontend[Deployment]")
            && e.getString("target").equals("default/cartservice[Deployment]") && e.getValue("observed") != null) {
          edge = e;
        }
      }
      assertNotNull(edge, graph.encode());
      long before = edge.getJsonObject("observed").getLong("count");
      assertTrue(before > 0);
      long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (d.serve().counters().accepted() <= 1700 && System.nanoTime() < end) {
        Thread.sleep(50);
      }
      assertTrue(d.serve().counters().accepted() > 1700, "the recording keeps playing live");
    }
  }
}
