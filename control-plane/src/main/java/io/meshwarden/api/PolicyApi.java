package io.meshwarden.api;

import io.meshwarden.mode.NamespaceModes;
import io.meshwarden.proposal.Proposal;
import io.meshwarden.proposal.Proposals;
import io.meshwarden.report.PolicySetRenderer;
import io.meshwarden.sidecar.Mode;
import io.meshwarden.sidecar.ResourceJson;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.istio.AuthorizationPolicyWriter;
import io.meshwarden.sidecar.listener.EnvoyTranslator;
import io.meshwarden.sidecar.netpol.NetworkPolicyWriter;
import io.meshwarden.store.Store;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The proposal, mode and audit endpoints of one namespace:
 * <ul>
 *   <li>{@code GET /api/v1/namespaces/{ns}/proposal}: the newest proposal (version, mode, per-workload
 *       rules with their evidence, coverage, and the Envoy, NetworkPolicy and AuthorizationPolicy forms);</li>
 *   <li>{@code POST /api/v1/namespaces/{ns}/mode} with {@code {"mode","approvedVersion","reason"}}: 400
 *       for a malformed body, an unknown mode, a missing, unknown or stale version; 409 when the
 *       approval gate refuses;</li>
 *   <li>{@code GET /api/v1/namespaces/{ns}/audit[?limit=N]}: the namespace's audit trail, newest first.</li>
 * </ul>
 * Work runs off the event loop; every error is {@code {"error":{"code","message"}}}, never a 500.
 */
public final class PolicyApi implements HttpApi.Routes {
  private static final String BASE = "/api/v1/namespaces/:ns/";
  private static final Set<String> BODY_FIELDS = Set.of("mode", "approvedVersion", "reason");
  /** Who made a change, when a proxy in front of the API says so. */
  static final String ACTOR_HEADER = "X-Meshwarden-Actor";

  private final BooleanSupplier ready;
  private final Predicate<String> namespaceKnown;
  private final Proposals proposals;
  private final NamespaceModes modes;
  private final Store store;

  public PolicyApi(BooleanSupplier ready, Predicate<String> namespaceKnown, Proposals proposals, NamespaceModes modes,
      Store store) {
    this.ready = Objects.requireNonNull(ready, "ready");
    this.namespaceKnown = Objects.requireNonNull(namespaceKnown, "namespaceKnown");
    this.proposals = Objects.requireNonNull(proposals, "proposals");
    this.modes = Objects.requireNonNull(modes, "modes");
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public void mount(Router router) {
    router.get(BASE + "proposal").handler(ctx -> {
      HttpApi.checkParams(ctx, Set.of());
      String ns = namespace(ctx, true);
      work(ctx, 200, () -> proposal(ns));
    });
    router.post(BASE + "mode").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(ctx -> {
      HttpApi.checkParams(ctx, Set.of());
      String ns = namespace(ctx, true);
      JsonObject body = body(ctx);
      String actor = actor(ctx);
      work(ctx, 200, () -> mode(ns, body, actor));
    });
    router.get(BASE + "audit").handler(ctx -> {
      HttpApi.checkParams(ctx, Set.of("limit"));
      String ns = namespace(ctx, false);
      int limit = HttpApi.intParam(ctx, "limit", 100, 1, 1000);
      work(ctx, 200, () -> audit(ns, limit));
    });
    for (String[] r : new String[][] {{"proposal", "GET"}, {"mode", "POST"}, {"audit", "GET"}}) {
      router.route(BASE + r[0]).handler(ctx -> HttpApi.error(ctx, new ApiException(405, "method_not_allowed",
          ctx.request().method() + " is not allowed on " + ctx.request().path() + " (use " + r[1] + ")")));
    }
  }

  private String namespace(RoutingContext ctx, boolean mustExist) {
    String ns = ctx.pathParam("ns");
    if (!HttpApi.DNS_LABEL.matcher(ns).matches()) {
      throw ApiException.badRequest("namespace \"" + ns + "\" is not a valid namespace name");
    }
    if (!ready.getAsBoolean()) {
      throw ApiException.notReady();
    }
    if (mustExist && !namespaceKnown.test(ns)) {
      throw new ApiException(404, "not_found", "namespace " + ns + " is not known (no Namespace, workload or traffic)");
    }
    return ns;
  }

  private static JsonObject body(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw new ApiException(400, "malformed_body", "the body must be a JSON object {\"mode\",\"approvedVersion\",\"reason\"}");
    }
    JsonObject o;
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(text);
      if (!(parsed instanceof JsonObject j)) {
        throw new ApiException(400, "malformed_body", "the body must be a JSON object, not " + text.strip().charAt(0)
            + "...");
      }
      o = j;
    } catch (DecodeException e) {
      throw new ApiException(400, "malformed_body", "the body is not JSON: " + e.getMessage());
    }
    for (String k : o.fieldNames()) {
      if (!BODY_FIELDS.contains(k)) {
        throw new ApiException(400, "malformed_body", "unknown field \"" + k + "\" (known: approvedVersion, mode, reason)");
      }
    }
    for (String k : BODY_FIELDS) {
      Object v = o.getValue(k);
      if (v != null && !(v instanceof String)) {
        throw new ApiException(400, "malformed_body", "\"" + k + "\" must be a string");
      }
    }
    return o;
  }

  private static String actor(RoutingContext ctx) {
    String h = ctx.request().getHeader(ACTOR_HEADER);
    if (h != null && !h.isBlank()) {
      String a = h.strip();
      return a.length() > 200 ? a.substring(0, 200) : a;
    }
    return "api@" + (ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress());
  }

  private void work(RoutingContext ctx, int status, Callable<String> task) {
    ctx.vertx().executeBlocking(task, false).onComplete(r -> {
      if (r.succeeded()) {
        HttpApi.json(ctx, status, r.result());
      } else {
        Throwable cause = r.cause();
        HttpApi.error(ctx, cause instanceof ApiException e ? e
            : new ApiException(503, "unavailable", "the request could not be served: " + cause.getMessage()));
      }
    });
  }

  private String proposal(String ns) {
    Proposal p = proposals.newest(ns).orElseThrow(() -> new ApiException(503, "not_ready",
        "no proposal for namespace " + ns + " has been computed yet"));
    NamespaceModes.Serving s = modes.serving(ns).orElse(null);
    JsonObject intent = new JsonObject(PolicySetRenderer.json(p.policies(), p.notes()));
    JsonArray envoy = new JsonArray();
    for (WorkloadPolicy w : p.policies().policies()) {
      envoy.add(new JsonObject(ResourceJson.print(EnvoyTranslator.translate(w, Mode.ENFORCE, TranslatorOptions.DEFAULTS))));
    }
    JsonObject forms = new JsonObject().put("envoy", envoy)
        .put("networkPolicy", NetworkPolicyWriter.write(p.policies()))
        .put("authorizationPolicy", AuthorizationPolicyWriter.write(p.policies(), false));
    return new JsonObject().put("namespace", ns).put("version", p.version())
        .put("createdAt", Instant.ofEpochMilli(p.createdAtMillis()).toString())
        .put("mode", s == null ? "observe" : s.mode().label())
        .put("requestedMode", s == null ? "observe" : s.requested().label())
        .put("modeSource", s == null ? "default" : s.source())
        .put("modeNote", s == null ? null : s.note())
        .put("approvedVersion", s == null || s.approved() == null ? null : s.approved().version())
        .put("servedVersion", s == null ? null : s.served().proposalVersion())
        .put("refusal", p.refusal())
        .put("coverage", intent.getJsonObject("evidence"))
        .put("policies", intent.getJsonArray("policies"))
        .put("notes", intent.getJsonArray("notes"))
        .put("forms", forms).encode();
  }

  private String mode(String ns, JsonObject body, String actor) {
    NamespaceModes.Outcome o = modes.request(ns, body.getString("mode"), body.getString("approvedVersion"),
        body.getString("reason"), actor);
    if (o instanceof NamespaceModes.Refused r) {
      throw new ApiException(r.status(), r.code(), r.message());
    }
    NamespaceModes.Changed c = (NamespaceModes.Changed) o;
    NamespaceModes.Serving s = c.serving();
    return new JsonObject().put("namespace", ns).put("mode", s.mode().label()).put("requestedMode", s.requested().label())
        .put("modeSource", s.source()).put("modeNote", s.note())
        .put("approvedVersion", s.approved() == null ? null : s.approved().version())
        .put("servedVersion", s.served().proposalVersion())
        .put("judged", c.judged()).put("wouldDeny", c.wouldDeny()).put("override", c.overridden()).encode();
  }

  private String audit(String ns, int limit) {
    JsonArray entries = new JsonArray();
    List<Store.AuditEntry> list = store.audit(ns, limit);
    for (Store.AuditEntry e : list) {
      entries.add(new JsonObject().put("id", e.id()).put("at", Instant.ofEpochMilli(e.atMillis()).toString())
          .put("actor", e.actor()).put("action", e.action()).put("from", e.from()).put("to", e.to())
          .put("version", e.version()).put("reason", e.reason()).put("detail", e.detail()));
    }
    return new JsonObject().put("namespace", ns).put("entries", entries).encode();
  }
}
