package io.meshwarden.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.aggregate.TrafficView;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.mode.Boutique;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proposal, mode and audit endpoints over real HTTP, on Online Boutique labelled dry-run. */
class PolicyApiTest {
  @TempDir static Path dir;
  static Boutique b;
  static HttpApi api;
  static int port;
  /** The version the recorded flows give, before any test adds the intruder's call. */
  static String original;
  static final AtomicBoolean READY = new AtomicBoolean(true);
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    b = new Boutique(dir, "dry-run");
    original = b.version();
    HttpApi.State state = new HttpApi.State() {
      @Override
      public boolean ready() {
        return READY.get();
      }

      @Override
      public Optional<ClusterSnapshot> cluster() {
        return Optional.of(b.index.current());
      }

      @Override
      public CompletableFuture<TrafficView> traffic() {
        return CompletableFuture.completedFuture(b.traffic.get());
      }

      @Override
      public List<Metric> metrics() {
        return List.of();
      }

      @Override
      public CompletableFuture<io.meshwarden.verdict.DryRunReport> dryRun(String namespace) {
        return CompletableFuture.failedFuture(new IllegalStateException("not under test"));
      }

      @Override
      public CompletableFuture<List<io.meshwarden.finding.Finding>> driftFindings() {
        return CompletableFuture.completedFuture(List.of());
      }
    };
    api = new HttpApi(state, "test", "cluster.local", List.of(new PolicyApi(READY::get,
        ns -> b.proposals.newest(ns).isPresent(), b.proposals, b.modes, b.store, b.index::current,
        () -> CompletableFuture.completedFuture(b.traffic.get()))));
    port = api.listen("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    api.close();
    b.close();
  }

  @BeforeEach
  void reset() throws Exception {
    READY.set(true);
    b.wouldDeny.clear();
    b.modes.request("default", "dry-run", null, "test reset", "test");
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("content-type", "application/json").header(PolicyApi.ACTOR_HEADER, "alice")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static void error(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    JsonObject e = new JsonObject(r.body()).getJsonObject("error");
    assertEquals(code, e.getString("code"), r.body());
    assertTrue(!e.getString("message").isBlank());
  }

  @Test
  void getProposal_versionModeRulesWithEvidenceCoverageAndTheThreeForms() throws Exception {
    HttpResponse<String> r = get("/api/v1/namespaces/default/proposal");
    assertEquals(200, r.statusCode(), r.body());
    JsonObject p = new JsonObject(r.body());
    assertEquals(b.version(), p.getString("version"));
    assertEquals("dry-run", p.getString("mode"));
    assertEquals(b.version(), p.getString("servedVersion"));
    assertNull(p.getString("approvedVersion"));
    JsonArray policies = p.getJsonArray("policies");
    JsonObject cart = policies.stream().map(o -> (JsonObject) o)
        .filter(o -> o.getString("workload").equals("default/Deployment/cartservice")).findFirst().orElseThrow();
    assertTrue(cart.getLong("flowsIn") > 0);
    assertTrue(cart.getJsonArray("ingress").encode().contains("hipstershop.CartService/GetCart"), cart.encode());
    JsonObject coverage = p.getJsonObject("coverage");
    assertTrue(coverage.getString("firstSeen").startsWith("2026-11-20T09:00"), coverage.encode());
    assertTrue(coverage.getJsonArray("cannotSee").size() > 0);
    assertTrue(coverage.getJsonArray("notEnoughEvidence").encode().contains("default/Deployment/loadgenerator"));
    JsonObject forms = p.getJsonObject("forms");
    assertEquals(policies.size(), forms.getJsonArray("envoy").size());
    assertTrue(forms.getString("networkPolicy").contains("kind: NetworkPolicy"));
    assertTrue(forms.getString("authorizationPolicy").contains("kind: AuthorizationPolicy"));
  }

  @Test
  void getProposal_badOrUnknownNamespaceOrNotReady() throws Exception {
    error(get("/api/v1/namespaces/Not_A_Name/proposal"), 400, "bad_request");
    error(get("/api/v1/namespaces/nowhere/proposal"), 404, "not_found");
    error(get("/api/v1/namespaces/default/proposal?x=1"), 400, "bad_request");
    error(post("/api/v1/namespaces/default/proposal", "{}"), 405, "method_not_allowed");
    READY.set(false);
    error(get("/api/v1/namespaces/default/proposal"), 503, "not_ready");
  }

  @Test
  void postMode_enforcesTheNewestVersionAndAuditsIt() throws Exception {
    String v = b.version();
    HttpResponse<String> r = post("/api/v1/namespaces/default/mode",
        new JsonObject().put("mode", "enforce").put("approvedVersion", v).put("reason", "reviewed").encode());
    assertEquals(200, r.statusCode(), r.body());
    JsonObject o = new JsonObject(r.body());
    assertEquals("enforce", o.getString("mode"));
    assertEquals(v, o.getString("approvedVersion"));
    assertEquals(false, o.getBoolean("override"));
    assertEquals("enforce", new JsonObject(get("/api/v1/namespaces/default/proposal").body()).getString("mode"));
    JsonObject last = new JsonObject(get("/api/v1/namespaces/default/audit?limit=1").body()).getJsonArray("entries")
        .getJsonObject(0);
    assertEquals(List.of("alice", "mode", "dry-run", "enforce", v, "reviewed"), List.of(last.getString("actor"),
        last.getString("action"), last.getString("from"), last.getString("to"), last.getString("version"),
        last.getString("reason")));
  }

  @Test
  void postMode_badBodiesModesAndVersionsAre400WithACode() throws Exception {
    String path = "/api/v1/namespaces/default/mode";
    error(post(path, "not json"), 400, "malformed_body");
    error(post(path, ""), 400, "malformed_body");
    error(post(path, "[\"enforce\"]"), 400, "malformed_body");
    error(post(path, "{\"mode\":\"enforce\",\"approved\":\"x\"}"), 400, "malformed_body");
    error(post(path, "{\"mode\":1}"), 400, "malformed_body");
    error(post(path, "{\"mode\":\"block\"}"), 400, "unknown_mode");
    error(post(path, "{}"), 400, "unknown_mode");
    error(post(path, "{\"mode\":\"enforce\",\"version\":\"" + original + "\"}"), 400, "malformed_body");
    error(post(path, "{\"mode\":\"dry-run\",\"approvedVersion\":\"" + original + "\"}"), 400, "malformed_body");
    error(post(path, "{\"mode\":\"observe\",\"version\":\"" + original + "\"}"), 400, "malformed_body");
    error(post(path, "{\"mode\":\"dry-run\",\"version\":\"deadbeef\"}"), 400, "unknown_version");
    error(post(path, "{\"mode\":\"enforce\",\"approvedVersion\":\"deadbeef\"}"), 400, "unknown_version");
    error(post("/api/v1/namespaces/nowhere/mode", "{\"mode\":\"observe\"}"), 404, "not_found");
    error(get(path), 405, "method_not_allowed");
    assertEquals("dry-run", new JsonObject(get("/api/v1/namespaces/default/proposal").body()).getString("mode"));
  }

  @Test
  void postMode_theGateIs409UntilAReasonOverridesIt() throws Exception {
    String v = b.version();
    b.wouldDeny.put("default/" + v, 2L);
    String path = "/api/v1/namespaces/default/mode";
    error(post(path, new JsonObject().put("mode", "enforce").put("approvedVersion", v).encode()), 409, "gate_refused");
    HttpResponse<String> r = post(path, new JsonObject().put("mode", "enforce").put("approvedVersion", v)
        .put("reason", "known: a deprecated client").encode());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(true, new JsonObject(r.body()).getBoolean("override"));
    assertEquals(2L, new JsonObject(r.body()).getLong("wouldDeny"));
  }

  @Test
  void getAudit_newestFirstWithLimits() throws Exception {
    JsonArray entries = new JsonObject(get("/api/v1/namespaces/default/audit").body()).getJsonArray("entries");
    assertTrue(entries.size() >= 2, entries.encode());
    assertTrue(entries.getJsonObject(0).getLong("id") > entries.getJsonObject(1).getLong("id"));
    error(get("/api/v1/namespaces/default/audit?limit=0"), 400, "bad_request");
    error(get("/api/v1/namespaces/default/audit?limit=x"), 400, "bad_request");
    assertEquals(0, new JsonObject(get("/api/v1/namespaces/elsewhere/audit").body()).getJsonArray("entries").size());
  }

  @Test
  void postMode_dryRunPinsANamedVersionAndEnforceWithoutAVersionApprovesThePin() throws Exception {
    String newest = b.intrude();
    String path = "/api/v1/namespaces/default/mode";
    HttpResponse<String> r = post(path, new JsonObject().put("mode", "dry-run").put("version", original).encode());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(original, new JsonObject(r.body()).getString("dryRunVersion"));
    assertEquals(original, new JsonObject(r.body()).getString("servedVersion"));
    error(post(path, new JsonObject().put("mode", "enforce").put("approvedVersion", newest).encode()), 409,
        "not_dry_run");
    r = post(path, "{\"mode\":\"enforce\"}");
    assertEquals(200, r.statusCode(), r.body());
    JsonObject o = new JsonObject(r.body());
    assertEquals(original, o.getString("approvedVersion"));
    assertEquals(newest, o.getString("servedVersion"), "the shadow in enforce is the newest");
  }

  @Test
  void getProposal_saysWhichVersionIsPinnedAndHowTheNewestDiffers() throws Exception {
    JsonObject p = new JsonObject(get("/api/v1/namespaces/default/proposal").body());
    assertEquals(p.getString("version"), p.getString("dryRunVersion"), "reset pins the newest");
    assertEquals(false, p.getBoolean("newerThanDryRun"));
    assertEquals(0L, p.getJsonObject("diff").getLong("added"), p.encode());
    assertEquals("dry-run", p.getJsonObject("diff").getJsonObject("from").getString("role"));

    String newest = b.intrude();
    post("/api/v1/namespaces/default/mode", new JsonObject().put("mode", "dry-run").put("version", original).encode());
    p = new JsonObject(get("/api/v1/namespaces/default/proposal").body());
    assertEquals(newest, p.getString("version"));
    assertEquals(original, p.getString("dryRunVersion"));
    assertEquals(original, p.getString("servedVersion"));
    assertEquals(original, p.getJsonObject("pin").getString("version"));
    assertEquals("alice", p.getJsonObject("pin").getString("actor"));
    assertEquals(true, p.getBoolean("newerThanDryRun"));
    JsonObject diff = p.getJsonObject("diff");
    assertEquals(List.of(original, newest), List.of(diff.getJsonObject("from").getString("version"),
        diff.getJsonObject("to").getString("version")));
    assertEquals(1L, diff.getLong("added"), diff.encode());
    assertEquals(0L, diff.getLong("removed"));
    assertEquals(1, diff.getInteger("workloadsChanged"));

    // Back in observe the sidecars are held to nothing; the pin is kept for the record.
    post("/api/v1/namespaces/default/mode", "{\"mode\":\"observe\"}");
    p = new JsonObject(get("/api/v1/namespaces/default/proposal").body());
    assertEquals(original, p.getString("dryRunVersion"));
    assertEquals("none", p.getJsonObject("diff").getJsonObject("from").getString("role"));
    assertEquals(0L, p.getJsonObject("diff").getLong("unchanged"));
  }

  @Test
  void getProposalDiff_grantByGrantWithEvidence() throws Exception {
    String newest = b.intrude();
    HttpResponse<String> r = get("/api/v1/namespaces/default/proposal/diff?from=" + original + "&to=" + newest);
    assertEquals(200, r.statusCode(), r.body());
    JsonObject d = new JsonObject(r.body());
    assertEquals(newest, d.getJsonObject("versions").getString("newest"));
    assertEquals(newest, d.getJsonObject("to").getString("version"));
    assertEquals(original, d.getJsonObject("from").getString("version"));
    JsonObject pay = d.getJsonArray("workloads").stream().map(JsonObject.class::cast)
        .filter(w -> w.getString("workload").equals("default/Deployment/paymentservice")).findFirst().orElseThrow();
    assertEquals(true, pay.getBoolean("changed"));
    assertEquals(1, pay.getJsonArray("added").size(), pay.encode());
    JsonObject added = pay.getJsonArray("added").getJsonObject(0);
    assertEquals("ingress", added.getString("direction"));
    assertEquals("default/Deployment/frontend", added.getJsonObject("peer").getString("workload"));
    assertEquals("/hipstershop.PaymentService/Charge", added.getJsonObject("request").getString("path"));
    assertTrue(added.getJsonObject("observed").getLong("flows") > 0, added.encode());
    assertTrue(added.getJsonObject("observed").getString("firstSeen").startsWith("2026-11-20"), added.encode());
    assertEquals("observed", added.getJsonObject("rule").getString("reason"));
    assertTrue(pay.getJsonArray("unchanged").size() > 0);
    assertEquals(0, pay.getJsonArray("removed").size());
    assertEquals(1L, d.getJsonObject("summary").getLong("added"));
    // Nothing on the left: every grant is new.
    JsonObject none = new JsonObject(get("/api/v1/namespaces/default/proposal/diff?from=none").body());
    assertEquals(0L, none.getJsonObject("summary").getLong("unchanged"));
    assertTrue(none.getJsonObject("summary").getLong("added") > 1);
  }

  @Test
  void getProposalDiff_badVersionsParametersAndMethodsAre4xxWithACode() throws Exception {
    String path = "/api/v1/namespaces/default/proposal/diff";
    error(get(path + "?from=xyz"), 400, "bad_request");
    error(get(path + "?to=none"), 400, "bad_request");
    error(get(path + "?from=" + "0".repeat(64)), 400, "unknown_version");
    error(get(path + "?to=" + "f".repeat(64)), 400, "unknown_version");
    error(get(path + "?from=" + original + "&from=" + original), 400, "bad_request");
    error(get(path + "?workload=x"), 400, "bad_request");
    error(get("/api/v1/namespaces/nowhere/proposal/diff"), 404, "not_found");
    error(get("/api/v1/namespaces/Bad_Name/proposal/diff"), 400, "bad_request");
    error(post(path, "{}"), 405, "method_not_allowed");
  }

  @Test
  void getWorkloadPolicy_bothVersionsRulesAndTheDiff() throws Exception {
    String newest = b.intrude();
    HttpResponse<String> r = get("/api/v1/namespaces/default/workloads/paymentservice/policy?from=" + original);
    assertEquals(200, r.statusCode(), r.body());
    JsonObject w = new JsonObject(r.body());
    assertEquals("default/Deployment/paymentservice", w.getString("workload"));
    assertEquals(original, w.getJsonObject("from").getString("version"));
    assertEquals(newest, w.getJsonObject("to").getString("version"));
    assertTrue(w.getJsonObject("from").getJsonObject("policy").getJsonArray("ingress").size() > 0, w.encode());
    assertTrue(w.getJsonObject("to").getJsonObject("policy").getJsonArray("ingress").encode().contains("frontend"));
    assertEquals(1, w.getJsonArray("added").size());
    assertEquals(true, w.getBoolean("changed"));
    // A workload without evidence has no policy on either side: nothing changes.
    JsonObject lg = new JsonObject(get("/api/v1/namespaces/default/workloads/loadgenerator/policy").body());
    assertNull(lg.getJsonObject("to").getValue("policy"));
    assertEquals(false, lg.getBoolean("changed"));
  }

  @Test
  void getWorkloadPolicy_badNamesKindsVersionsAndUnknownWorkloads() throws Exception {
    String base = "/api/v1/namespaces/default/workloads/";
    error(get(base + "Bad_Name/policy"), 400, "bad_request");
    error(get(base + "paymentservice/policy?kind=deployment"), 400, "bad_request");
    error(get(base + "paymentservice/policy?from=v1"), 400, "bad_request");
    error(get(base + "paymentservice/policy?to=" + "a".repeat(64)), 400, "unknown_version");
    error(get(base + "paymentservice/policy?x=1"), 400, "bad_request");
    error(get(base + "nosuchservice/policy"), 404, "unknown_workload");
    error(get(base + "paymentservice/policy?kind=StatefulSet"), 404, "unknown_workload");
    error(get("/api/v1/namespaces/nowhere/workloads/paymentservice/policy"), 404, "not_found");
    error(post(base + "paymentservice/policy", "{}"), 405, "method_not_allowed");
  }
}
