package io.meshwarden.serve;

import static io.meshwarden.serve.ServeHttp.awaitMetric;
import static io.meshwarden.serve.ServeHttp.get;
import static io.meshwarden.serve.ServeHttp.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.als.AlsClient;
import io.meshwarden.als.AlsMessages;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.ManifestSource;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Workload;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.ServingMode;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.listener.ServedTranslator;
import io.meshwarden.store.SqliteStore;
import io.meshwarden.synthesis.PolicySynthesizer;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.meshwarden.verdict.ServedNamespace;
import io.meshwarden.verdict.ServedPolicies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dry-run end to end in one JVM: Online Boutique as the cluster, its recorded flows
 * replayed, the proposal synthesized from what was learned and served to cartservice exactly as
 * ADS would push it, then a real gRPC ALS client as cartservice's sidecar. In dry-run an unobserved
 * call shows in the report with its rule and nothing is denied; an entry with Envoy's shadow result
 * is attributed by our evaluator; in enforce, a denied call is drift (report, finding, log line).
 */
class LiveDryRunIT {
  static final String CART = "default/Deployment/cartservice";
  static final String CART_SHOWN = "default/cartservice[Deployment]";
  static final String FRONTEND_SHOWN = "default/frontend[Deployment]";
  static final String FRONTEND = "spiffe://cluster.local/ns/default/sa/frontend";
  static final String AD = "spiffe://cluster.local/ns/default/sa/adservice";
  static final String UNOBSERVED = "/hipstershop.CartService/DropEverything";
  static final String RULE_PREFIX = "ns[default]-workload[cartservice]-port[07070]-rule[";
  private final StringWriter log = new StringWriter();

  /** What is served, set by the test as the proposal and mode state would. */
  static final class Served implements ServedPolicies {
    final AtomicReference<ServedNamespace> defaultNs = new AtomicReference<>();

    @Override
    public Optional<ServedNamespace> namespace(String namespace) {
      return "default".equals(namespace) ? Optional.ofNullable(defaultNs.get()) : Optional.empty();
    }
  }

  /** Streams {@code entries} as cartservice's sidecar. */
  private static void send(int port, List<HTTPAccessLogEntry> entries) throws Exception {
    AlsClient.send(port, List.of(AlsMessages.message(AlsMessages.node("default", "cartservice-6b9d7c8f5-q2z",
        "cartservice", "10.8.0.12"), entries, List.of())));
  }

  static HTTPAccessLogEntry denied403(HTTPAccessLogEntry e) {
    return e.toBuilder().setResponse(e.getResponse().toBuilder()
        .setResponseCode(com.google.protobuf.UInt32Value.of(403))
        .setResponseCodeDetails("rbac_access_denied_matched_policy[none]")).build();
  }

  static JsonObject rule(JsonObject layer, String destination) {
    for (Object d : layer.getJsonArray("byDestination")) {
      JsonObject dest = (JsonObject) d;
      if (dest.getString("destination").equals(destination)) {
        return dest.getJsonArray("rules").getJsonObject(0);
      }
    }
    return null;
  }

  static JsonObject flow(JsonObject layer, String path) {
    for (Object d : layer.getJsonArray("byDestination")) {
      for (Object r : ((JsonObject) d).getJsonArray("rules")) {
        for (Object f : ((JsonObject) r).getJsonArray("flows")) {
          JsonObject flow = (JsonObject) f;
          if (path.equals(flow.getString("path"))) {
            return flow.copy().put("policy", ((JsonObject) r).getString("policy"))
                .put("reason", ((JsonObject) r).getString("reason"));
          }
        }
      }
    }
    return null;
  }

  @Test
  void dryRunShowsTheUnobservedCallWithItsRule_envoysShadowIsAttributed_andEnforceDriftIsReported(@TempDir Path dir)
      throws Exception {
    Served served = new Served();
    LiveIndex index = new LiveIndex(LiveIndex.Options.defaults());
    ManifestSource.load(index, ServeEndToEndIT.MANIFESTS, "default", java.io.InputStream.nullInputStream());
    try (ServeRuntime rt = ServeRuntime.start(index, index.flush(), SqliteStore.open(dir), served,
        new ServeRuntime.Options(List.of(ServeEndToEndIT.FLOWS), dir, "127.0.0.1", 0, 0, 0, "cluster.local",
            new LiveAggregator.Settings(1 << 16, Duration.ofDays(30), Duration.ofSeconds(1), Clock.systemUTC()),
            "test"),
        new PrintWriter(log, true), new PrintWriter(log, true))) {
      assertTrue(rt.awaitReady(Duration.ofSeconds(30)), "ready: " + log);

      // The proposal: synthesized from what serve learned (the replayed recording), as generate does.
      ClusterModel model = index.current().modelWithStatus();
      PolicySynthesizer.Result proposal = PolicySynthesizer.synthesize(model,
          rt.aggregator().view().get(10, TimeUnit.SECONDS).traffic(),
          new PolicySynthesizer.Options("cluster.local", 1, null, 50, true, true, true));
      assertTrue(proposal.refusal().isEmpty());
      Workload cart = model.workloads().stream().filter(w -> w.id().equals(CART)).findFirst().orElseThrow();
      WorkloadPolicy cartPolicy = proposal.policies().forWorkload(cart.id()).orElseThrow();
      ServedResources dry = ServedTranslator.envoy(cart.id(), PolicyLayers.dryRun(cartPolicy),
          TranslatorOptions.DEFAULTS, "meshwarden_als");
      served.defaultNs.set(new ServedNamespace("default", ServingMode.DRY_RUN, "p1", null, Map.of(cart.id(), dry)));

      Instant now = Instant.now();
      send(rt.alsPort(), List.of(
          AlsMessages.http("10.8.0.12", 7070, "10.8.0.10", FRONTEND, "POST", "/hipstershop.CartService/GetCart", 200,
              now),
          AlsMessages.http("10.8.0.12", 7070, "10.8.0.10", FRONTEND, "POST", UNOBSERVED, 200, now),
          // Envoy's own dry-run says denied and names no policy (an ALLOW list): our evaluator names the rule.
          AlsMessages.withShadow(AlsMessages.http("10.8.0.12", 7070, "10.8.0.11", AD, "POST",
              "/hipstershop.CartService/GetCart", 200, now), ServedTranslator.SHADOW_STAT_PREFIX, "denied", null)));
      awaitMetric(rt, "meshwarden_dryrun_judged_total", 3);

      HttpResponse<String> r = get(rt, "/api/v1/namespaces/default/dryrun");
      assertEquals(200, r.statusCode(), r.body());
      JsonObject report = new JsonObject(r.body());
      assertEquals("dry-run", report.getString("mode"));
      assertEquals("p1", report.getString("proposalVersion"));
      JsonObject wouldDeny = report.getJsonObject("wouldDeny");
      assertEquals(2, wouldDeny.getLong("total"), r.body());
      JsonObject unobserved = flow(wouldDeny, UNOBSERVED);
      assertNotNull(unobserved, r.body());
      assertEquals(FRONTEND_SHOWN, unobserved.getString("peer"));
      assertTrue(unobserved.getString("policy").startsWith(RULE_PREFIX), unobserved.toString());
      assertEquals("PEER_ADMITTED_REQUEST_NOT", unobserved.getString("reason"));
      JsonObject shadow = flow(wouldDeny, "/hipstershop.CartService/GetCart");
      assertEquals("default/adservice[Deployment]", shadow.getString("peer"));
      assertTrue(shadow.getString("policy").startsWith(RULE_PREFIX), shadow.toString());
      assertEquals("REQUEST_ADMITTED_PEER_NOT", shadow.getString("reason"));
      assertEquals(1, shadow.getJsonObject("deniedBy").getLong("envoy"));
      assertEquals(1, shadow.getJsonObject("deniedBy").getLong("evaluator"));
      assertEquals(0, shadow.getLong("disagreements"));
      // Nothing is denied in dry-run: no enforced rules are served, so there is no drift.
      assertNull(report.getValue("drift"));
      assertEquals(0, metric(rt, "meshwarden_drift_denied_total"));
      assertEquals(2, metric(rt, "meshwarden_dryrun_would_deny_total"));
      assertEquals(2, rt.verdicts().wouldDeny("default", "p1"));
      assertEquals(3, rt.verdicts().judged("default", "p1"));
      assertEquals(0, metric(rt, "meshwarden_verdict_disagreements_total"));

      // Enforce: the approved version denies the unobserved call (Envoy answers 403) — drift.
      ServedResources enforced = ServedTranslator.envoy(cart.id(), PolicyLayers.enforce(cartPolicy, cartPolicy),
          TranslatorOptions.DEFAULTS, "meshwarden_als");
      served.defaultNs.set(new ServedNamespace("default", ServingMode.ENFORCE, "p1", "p1",
          Map.of(cart.id(), enforced)));
      send(rt.alsPort(), List.of(
          denied403(AlsMessages.http("10.8.0.12", 7070, "10.8.0.10", FRONTEND, "POST", UNOBSERVED, 403, now)),
          AlsMessages.http("10.8.0.12", 7070, "10.8.0.10", FRONTEND, "POST", "/hipstershop.CartService/GetCart", 200,
              now)));
      awaitMetric(rt, "meshwarden_drift_denied_total", 1);
      JsonObject enforcing = new JsonObject(get(rt, "/api/v1/namespaces/default/dryrun").body());
      assertEquals("enforce", enforcing.getString("mode"));
      JsonObject drift = enforcing.getJsonObject("drift");
      assertEquals(1, drift.getLong("total"));
      JsonObject denied = flow(drift, UNOBSERVED);
      assertTrue(denied.getString("policy").startsWith(RULE_PREFIX), denied.toString());
      assertEquals(1, denied.getJsonObject("deniedBy").getLong("envoy"));
      assertEquals(1, denied.getJsonObject("deniedBy").getLong("evaluator"));
      JsonArray findings = new JsonObject(get(rt, "/api/v1/findings").body()).getJsonArray("findings");
      JsonObject mw109 = findings.stream().map(JsonObject.class::cast).filter(f -> f.getString("ruleId").equals("MW109"))
          .findFirst().orElseThrow(() -> new AssertionError("no drift finding in " + findings));
      assertEquals(CART_SHOWN, mw109.getString("subject"));
      assertTrue(mw109.getJsonArray("evidence").getString(0).contains(UNOBSERVED), mw109.toString());
      String line = log.toString().lines().filter(l -> l.startsWith("{") && l.contains("\"event\":\"drift\""))
          .findFirst().orElseThrow(() -> new AssertionError("no drift log line in " + log));
      JsonObject json = new JsonObject(line);
      assertEquals(CART_SHOWN, json.getString("workload"));
      assertEquals(FRONTEND_SHOWN, json.getString("peer"));
      assertEquals(1, json.getLong("count"));
    }
  }
}
