package io.meshwarden.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.demo.workloads.DemoWorkloads;
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
 * {@code demo --workloads} through the API only: the simulated Online Boutique serves from the
 * control plane's ADS server and its calls are learned; dry-run denies nothing; enforcing the
 * newest proposal with the API's version denies the intruder (PERMISSION_DENIED) while the app's
 * load keeps passing; {@code /api/v1/about} says what is simulated.
 */
class DemoWorkloadsModesIT {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(DemoRuntime d, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(d.url("127.0.0.1") + path.substring(1)));
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject get(DemoRuntime d, String path) throws Exception {
    HttpResponse<String> r = send(d, "GET", path, null);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return new JsonObject(r.body());
  }

  @Test
  void enforcingTheProposalDeniesTheIntruderWhileTheAppKeepsWorking(@TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    PrintWriter w = new PrintWriter(log, true);
    try (DemoRuntime d = DemoRuntime.start(new DemoRuntime.Options(dir, "127.0.0.1", 0, 0, 0, 0, "test"),
        Duration.ofSeconds(50), w, w)) {
      DemoWorkloads workloads = d.startWorkloads("127.0.0.1", w::println);
      JsonObject about = get(d, "/api/v1/about");
      assertTrue(about.getJsonObject("simulated").getBoolean("simulated"), about.encode());
      assertTrue(about.getString("notice").contains("Simulated with --workloads"), about.encode());

      // Observe: every service serves; the load passes; the learned proposal covers the app's calls.
      eventually(() -> assertTrue(workloads.snapshot().load().ok() >= 24, workloads.snapshot().toString()));
      assertEquals(0, workloads.snapshot().load().failed(), workloads.snapshot() + "\n" + log);
      HttpResponse<String> dry = send(d, "POST", "/api/v1/namespaces/default/mode", "{\"mode\":\"dry-run\"}");
      assertEquals(200, dry.statusCode(), dry.body());
      Thread.sleep(1500);
      assertEquals(0, workloads.snapshot().load().failed(), "dry-run denies nothing: " + workloads.snapshot());
      assertEquals(0, workloads.snapshot().intruder().attempts(), "the intruder waits for enforcement");

      // Enforce the newest proposal (no override: the gate finds nothing the app does would be
      // denied): the intruder is denied, the app keeps working.
      String version = get(d, "/api/v1/namespaces/default/proposal").getString("version");
      HttpResponse<String> enforce = send(d, "POST", "/api/v1/namespaces/default/mode",
          "{\"mode\":\"enforce\",\"approvedVersion\":\"" + version + "\"}");
      assertEquals(200, enforce.statusCode(), enforce.body());
      eventually(() -> assertTrue(workloads.snapshot().intruder().denied() >= 2, workloads.snapshot().toString()));
      long failed = workloads.snapshot().load().failed();
      long ok = workloads.snapshot().load().ok();
      eventually(() -> assertTrue(workloads.snapshot().load().ok() >= ok + 20));
      DemoWorkloads.Snapshot s = workloads.snapshot();
      assertEquals(failed, s.load().failed(), "the app's calls pass the enforced policy: " + s + "\n" + log);
      assertEquals(0, s.intruder().allowed(), s.toString());
      JsonObject intruder = get(d, "/api/v1/about").getJsonObject("simulated").getJsonObject("intruder");
      assertTrue(intruder.getLong("denied") >= 2 && "denied".equals(intruder.getString("lastResult")), intruder.encode());
    }
  }

  static void eventually(Runnable check) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > end) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }
}
