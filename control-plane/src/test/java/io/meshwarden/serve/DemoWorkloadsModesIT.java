package io.meshwarden.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.demo.workloads.DemoWorkloads;
import io.meshwarden.demo.workloads.DemoWorkloadsIT;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --workloads} through the API only, the story: the simulated Online Boutique
 * serves from the control plane's ADS server and its calls are learned in observe; moving
 * {@code default} to dry-run pins the proposal of that moment and starts the intruder, whose call
 * is would-deny against the pin (while the newest proposal learns it, and the diff shows it as an
 * added grant); the gate refuses enforce (409) until a reason is given, and refuses the newest
 * version, which was never dry-run; enforcing the pin denies the intruder (PERMISSION_DENIED)
 * while the app's calls keep passing (0 failed); {@code /api/v1/about} says what is simulated.
 */
class DemoWorkloadsModesIT {
  static final String CHARGE = "/hipstershop.PaymentService/Charge";
  static final String MODE = "/api/v1/namespaces/default/mode";
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

  private static void refused(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(code, new JsonObject(r.body()).getJsonObject("error").getString("code"), r.body());
  }

  @Test
  void dryRunShowsTheIntruderWouldDenyAndEnforcingDeniesItWhileTheAppKeepsWorking(@TempDir Path dir)
      throws Exception {
    StringWriter log = new StringWriter();
    PrintWriter w = new PrintWriter(log, true);
    try (DemoRuntime d = DemoRuntime.start(new DemoRuntime.Options(dir, "127.0.0.1", 0, 0, 0, 0, "test"),
        Duration.ofSeconds(50), w, w)) {
      DemoWorkloads workloads = d.startWorkloads("127.0.0.1", w::println);
      JsonObject about = get(d, "/api/v1/about");
      assertTrue(about.getJsonObject("simulated").getBoolean("simulated"), about.encode());
      assertTrue(about.getString("notice").contains("Simulated with --workloads"), about.encode());

      // Observe: every service serves, the load passes, and the proposal settles on the app's calls.
      eventually(() -> assertTrue(workloads.snapshot().load().ok() >= 24, workloads.snapshot().toString()));
      String settled = settledProposal(d);
      assertEquals(0, workloads.snapshot().load().failed(), workloads.snapshot() + "\n" + log);
      assertEquals(0, workloads.snapshot().intruder().attempts(), "the intruder waits while default is observed");

      // Dry-run pins that version; the intruder starts; its call is would-deny against the pin.
      HttpResponse<String> dry = send(d, "POST", MODE, "{\"mode\":\"dry-run\"}");
      assertEquals(200, dry.statusCode(), dry.body());
      String pinned = new JsonObject(dry.body()).getString("dryRunVersion");
      assertEquals(settled, pinned);
      eventually(() -> assertTrue(workloads.snapshot().intruder().allowed() >= 2, workloads.snapshot().toString()));
      eventually(() -> {
        JsonObject report = get(d, "/api/v1/namespaces/default/dryrun");
        assertEquals(pinned, report.getString("proposalVersion"), report.encodePrettily());
        List<JsonObject> flows = DemoWorkloadsIT.flows(report.getJsonObject("wouldDeny"));
        assertTrue(flows.stream().anyMatch(f -> f.getString("destination").contains("paymentservice")
            && f.getString("peer").contains("frontend") && CHARGE.equals(f.getString("path"))),
            report.encodePrettily());
        assertTrue(flows.stream().allMatch(f -> CHARGE.equals(f.getString("path"))),
            "only the intruder's call would be denied: " + report.encodePrettily());
      });
      assertEquals(0, workloads.snapshot().load().failed(), "dry-run denies nothing: " + workloads.snapshot());
      assertEquals(0, workloads.snapshot().intruder().denied(), "dry-run denies nothing");

      // The newest proposal learned the intruder's call; the pin stays, and the diff names the call.
      JsonObject[] newer = new JsonObject[1];
      eventually(() -> {
        newer[0] = get(d, "/api/v1/namespaces/default/proposal");
        assertEquals(true, newer[0].getBoolean("newerThanDryRun"), newer[0].encode());
      });
      assertEquals(pinned, newer[0].getString("dryRunVersion"));
      assertEquals(pinned, newer[0].getString("servedVersion"));
      String newest = newer[0].getString("version");
      JsonObject pay = get(d, "/api/v1/namespaces/default/workloads/paymentservice/policy?to=" + newest);
      assertEquals("dry-run", pay.getJsonObject("from").getString("role"), pay.encode());
      assertEquals(pinned, pay.getJsonObject("from").getString("version"));
      assertTrue(pay.getJsonArray("added").stream().map(JsonObject.class::cast).anyMatch(g ->
          g.getJsonObject("peer").getString("workload").endsWith("/frontend")
          && CHARGE.equals(g.getJsonObject("request").getString("path"))
          && g.getJsonObject("observed").getLong("flows") >= 1), pay.encodePrettily());

      // The gate: would-deny flows refuse the pin, the newest was never dry-run; a reason overrides.
      refused(send(d, "POST", MODE, "{\"mode\":\"enforce\"}"), 409, "gate_refused");
      refused(send(d, "POST", MODE, "{\"mode\":\"enforce\",\"approvedVersion\":\"" + newest + "\"}"), 409,
          "not_dry_run");
      assertEquals("dry-run", get(d, "/api/v1/namespaces/default/proposal").getString("mode"));
      HttpResponse<String> enforce = send(d, "POST", MODE,
          "{\"mode\":\"enforce\",\"reason\":\"the would-deny call is the intruder: deny it\"}");
      assertEquals(200, enforce.statusCode(), enforce.body());
      JsonObject enforced = new JsonObject(enforce.body());
      assertEquals(pinned, enforced.getString("approvedVersion"), "the pin is approved, not what it learned since");
      assertEquals(true, enforced.getBoolean("override"));
      assertTrue(enforced.getLong("wouldDeny") >= 2, enforced.encode());

      // Enforce: the intruder is denied, the app keeps working.
      eventually(() -> assertTrue(workloads.snapshot().intruder().denied() >= 2, workloads.snapshot().toString()));
      long allowed = workloads.snapshot().intruder().allowed();
      long ok = workloads.snapshot().load().ok();
      eventually(() -> assertTrue(workloads.snapshot().load().ok() >= ok + 20));
      eventually(() -> assertTrue(workloads.snapshot().intruder().denied() >= 4, workloads.snapshot().toString()));
      DemoWorkloads.Snapshot s = workloads.snapshot();
      assertEquals(0, s.load().failed(), "the app's calls pass the enforced policy: " + s + "\n" + log);
      assertEquals(allowed, s.intruder().allowed(), "no intruder call passes once enforced: " + s);
      JsonObject intruder = get(d, "/api/v1/about").getJsonObject("simulated").getJsonObject("intruder");
      assertTrue(intruder.getLong("denied") >= 2 && "denied".equals(intruder.getString("lastResult")), intruder.encode());
      List<String> actions = get(d, "/api/v1/namespaces/default/audit").getJsonArray("entries").stream()
          .map(e -> ((JsonObject) e).getString("action")).toList();
      assertTrue(actions.containsAll(List.of("pin", "approve", "mode")), actions.toString());
    }
  }

  /** The newest proposal version once it has stayed the same for 4 s (the app's calls all learned). */
  private String settledProposal(DemoRuntime d) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    String last = null;
    long since = System.nanoTime();
    while (System.nanoTime() < end) {
      HttpResponse<String> r = send(d, "GET", "/api/v1/namespaces/default/proposal", null);
      String v = r.statusCode() == 200 ? new JsonObject(r.body()).getString("version") : null;
      if (v == null || !v.equals(last)) {
        last = v;
        since = System.nanoTime();
      } else if (System.nanoTime() - since > Duration.ofSeconds(4).toNanos()) {
        return v;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the proposal of default did not settle within 40 s (last " + last + ")");
  }

  interface Check {
    void run() throws Exception;
  }

  static void eventually(Check check) throws Exception {
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
