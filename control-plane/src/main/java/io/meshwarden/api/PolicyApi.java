package io.meshwarden.api;

import io.meshwarden.aggregate.TrafficView;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.mode.NamespaceModes;
import io.meshwarden.model.Workload;
import io.meshwarden.proposal.Proposal;
import io.meshwarden.proposal.Proposals;
import io.meshwarden.report.PolicySetRenderer;
import io.meshwarden.sidecar.Mode;
import io.meshwarden.sidecar.ServingMode;
import io.meshwarden.sidecar.ResourceJson;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.istio.AuthorizationPolicyWriter;
import io.meshwarden.sidecar.listener.EnvoyTranslator;
import io.meshwarden.sidecar.netpol.NetworkPolicyWriter;
import io.meshwarden.store.Store;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.meshwarden.traffic.ObservedEdge;
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
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The proposal, mode and audit endpoints of one namespace:
 * <ul>
 *   <li>{@code GET /api/v1/namespaces/{ns}/proposal}: the newest proposal (version, mode, the dry-run's
 *       pinned version, per-workload rules with their evidence, coverage, the Envoy, NetworkPolicy and
 *       AuthorizationPolicy forms, and how it differs from what the sidecars are held to);</li>
 *   <li>{@code GET /api/v1/namespaces/{ns}/proposal/diff[?from=&to=]}: that difference grant by grant,
 *       per workload;</li>
 *   <li>{@code GET /api/v1/namespaces/{ns}/workloads/{name}/policy[?kind=&from=&to=]}: one workload's
 *       rules in both versions and the difference;</li>
 *   <li>{@code POST /api/v1/namespaces/{ns}/mode} with {@code {"mode","version","approvedVersion","reason"}}:
 *       400 for a malformed body, an unknown mode, a missing, unknown or stale version; 409 when the
 *       approval gate refuses;</li>
 *   <li>{@code GET /api/v1/namespaces/{ns}/audit[?limit=N]}: the namespace's audit trail, newest first.</li>
 * </ul>
 * Work runs off the event loop; every error is {@code {"error":{"code","message"}}}, never a 500.
 */
public final class PolicyApi implements HttpApi.Routes {
  private static final String BASE = "/api/v1/namespaces/:ns/";
  private static final Set<String> BODY_FIELDS = Set.of("mode", "version", "approvedVersion", "reason");
  private static final Pattern VERSION = Pattern.compile("[0-9a-f]{64}");
  /** Who made a change, when a proxy in front of the API says so. */
  static final String ACTOR_HEADER = "X-Meshwarden-Actor";

  private final BooleanSupplier ready;
  private final Predicate<String> namespaceKnown;
  private final Proposals proposals;
  private final NamespaceModes modes;
  private final Store store;
  private final Supplier<ClusterSnapshot> cluster;
  private final Supplier<CompletableFuture<TrafficView>> traffic;

  /**
   * @param cluster the live cluster (workload names of the per-workload endpoint)
   * @param traffic the learned traffic (the flows observed per grant of a diff)
   */
  public PolicyApi(BooleanSupplier ready, Predicate<String> namespaceKnown, Proposals proposals, NamespaceModes modes,
      Store store, Supplier<ClusterSnapshot> cluster, Supplier<CompletableFuture<TrafficView>> traffic) {
    this.ready = Objects.requireNonNull(ready, "ready");
    this.namespaceKnown = Objects.requireNonNull(namespaceKnown, "namespaceKnown");
    this.proposals = Objects.requireNonNull(proposals, "proposals");
    this.modes = Objects.requireNonNull(modes, "modes");
    this.store = Objects.requireNonNull(store, "store");
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.traffic = Objects.requireNonNull(traffic, "traffic");
  }

  @Override
  public void mount(Router router) {
    router.get(BASE + "proposal").handler(ctx -> {
      HttpApi.checkParams(ctx, Set.of());
      String ns = namespace(ctx, true);
      work(ctx, 200, () -> proposal(ns));
    });
    router.get(BASE + "proposal/diff").handler(ctx -> {
      HttpApi.checkParams(ctx, Set.of("from", "to"));
      String ns = namespace(ctx, true);
      String from = version(ctx, "from", true);
      String to = version(ctx, "to", false);
      work(ctx, 200, () -> diff(ns, from, to));
    });
    router.get(BASE + "workloads/:name/policy").handler(ctx -> {
      HttpApi.checkParams(ctx, Set.of("kind", "from", "to"));
      String ns = namespace(ctx, true);
      String name = UiRoutes.name(ctx);
      String kind = UiRoutes.kind(ctx);
      String from = version(ctx, "from", true);
      String to = version(ctx, "to", false);
      work(ctx, 200, () -> workloadPolicy(ns, name, kind, from, to));
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
    for (String[] r : new String[][] {{"proposal", "GET"}, {"proposal/diff", "GET"}, {"workloads/:name/policy", "GET"},
        {"mode", "POST"}, {"audit", "GET"}}) {
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

  /** A version query parameter: a proposal version (64 hex digits), or for {@code from} also {@code none}. */
  private static String version(RoutingContext ctx, String name, boolean noneAllowed) {
    String v = ctx.request().getParam(name);
    if (v == null || VERSION.matcher(v).matches() || (noneAllowed && v.equals("none"))) {
      return v;
    }
    throw ApiException.badRequest(name + " must be a proposal version (64 hex digits)" + (noneAllowed
        ? " or none" : "") + ", not \"" + v + "\"");
  }

  private static JsonObject body(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw new ApiException(400, "malformed_body",
          "the body must be a JSON object {\"mode\",\"version\",\"approvedVersion\",\"reason\"}");
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
        throw new ApiException(400, "malformed_body", "unknown field \"" + k
            + "\" (known: approvedVersion, mode, reason, version)");
      }
    }
    for (String k : BODY_FIELDS) {
      Object v = o.getValue(k);
      if (v != null && !(v instanceof String)) {
        throw new ApiException(400, "malformed_body", "\"" + k + "\" must be a string");
      }
    }
    // A version under the other mode's name would be silently ignored: say so instead.
    String mode = o.getString("mode");
    if (o.getString("version") != null && !"dry-run".equals(mode)) {
      throw new ApiException(400, "malformed_body", "\"version\" names the version to dry-run (mode dry-run);"
          + " enforce takes \"approvedVersion\"");
    }
    if (o.getString("approvedVersion") != null && !"enforce".equals(mode)) {
      throw new ApiException(400, "malformed_body", "\"approvedVersion\" names the version to enforce (mode"
          + " enforce); dry-run takes \"version\"");
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
        .put("dryRunVersion", s == null || s.pin() == null ? null : s.pin().version())
        .put("pin", s == null || s.pin() == null ? null : new JsonObject().put("version", s.pin().version())
            .put("at", Instant.ofEpochMilli(s.pin().atMillis()).toString()).put("actor", s.pin().actor())
            .put("reason", s.pin().reason()))
        .put("newerThanDryRun", s != null && s.pin() != null && !s.pin().version().equals(p.version()))
        .put("diff", PolicyDiffJson.summary(base(s), new PolicyDiffJson.Side("newest", p), edges(ns)))
        .put("refusal", p.refusal())
        .put("coverage", intent.getJsonObject("evidence"))
        .put("policies", intent.getJsonArray("policies"))
        .put("notes", intent.getJsonArray("notes"))
        .put("forms", forms).encode();
  }

  /** What the sidecars are held to: the enforced version, the pinned one in dry-run, else nothing. */
  private static PolicyDiffJson.Side base(NamespaceModes.Serving s) {
    if (s != null && s.mode() == ServingMode.ENFORCE && s.approved() != null) {
      return new PolicyDiffJson.Side("enforced", s.approved());
    }
    if (s != null && s.mode() == ServingMode.DRY_RUN && s.pinned() != null) {
      return new PolicyDiffJson.Side("dry-run", s.pinned());
    }
    return new PolicyDiffJson.Side("none", null);
  }

  /** The side a query parameter names (null: the default), with its role. */
  private PolicyDiffJson.Side side(String ns, String version, PolicyDiffJson.Side dflt, NamespaceModes.Serving s,
      Proposal newest) {
    if (version == null) {
      return dflt;
    }
    if (version.equals("none")) {
      return new PolicyDiffJson.Side("none", null);
    }
    Proposal p = proposals.version(ns, version).orElseThrow(() -> new ApiException(400, "unknown_version",
        "namespace " + ns + " has no proposal version \"" + version + "\" (the newest is " + newest.version() + ")"));
    String role = s != null && s.mode() == ServingMode.ENFORCE && s.approved() != null
        && s.approved().version().equals(version) ? "enforced"
        : s != null && s.pin() != null && s.pin().version().equals(version) ? "dry-run"
        : newest.version().equals(version) ? "newest" : "named";
    return new PolicyDiffJson.Side(role, p);
  }

  private Proposal newest(String ns) {
    return proposals.newest(ns).orElseThrow(() -> new ApiException(503, "not_ready",
        "no proposal for namespace " + ns + " has been computed yet"));
  }

  /** The learned edges with an end in the namespace (the evidence of each grant). */
  private List<ObservedEdge> edges(String ns) {
    TrafficView v = traffic.get().join();
    return io.meshwarden.proposal.ProposalCalculator.byNamespace(v.traffic().edges()).getOrDefault(ns, List.of());
  }

  private String diff(String ns, String from, String to) {
    Proposal newest = newest(ns);
    NamespaceModes.Serving s = modes.serving(ns).orElse(null);
    PolicyDiffJson.Side a = side(ns, from, base(s), s, newest);
    PolicyDiffJson.Side b = side(ns, to, new PolicyDiffJson.Side("newest", newest), s, newest);
    return versions(PolicyDiffJson.namespace(ns, a, b, edges(ns)), s, newest).encode();
  }

  private String workloadPolicy(String ns, String name, String kind, String from, String to) {
    ClusterSnapshot snap = cluster.get();
    Workload w = UiRoutes.workload(snap, ns, name, kind);
    Proposal newest = newest(ns);
    NamespaceModes.Serving s = modes.serving(ns).orElse(null);
    PolicyDiffJson.Side a = side(ns, from, base(s), s, newest);
    PolicyDiffJson.Side b = side(ns, to, new PolicyDiffJson.Side("newest", newest), s, newest);
    return versions(PolicyDiffJson.workload(w.id(), a, b, edges(ns)).put("namespace", ns), s, newest).encode();
  }

  /** The versions in play, so a client can ask for any other pair. */
  private static JsonObject versions(JsonObject o, NamespaceModes.Serving s, Proposal newest) {
    return o.put("mode", s == null ? "observe" : s.mode().label()).put("versions", new JsonObject()
        .put("enforced", s == null || s.mode() != ServingMode.ENFORCE || s.approved() == null ? null
            : s.approved().version())
        .put("dryRun", s == null || s.pin() == null ? null : s.pin().version())
        .put("newest", newest.version()));
  }

  private String mode(String ns, JsonObject body, String actor) {
    String mode = body.getString("mode");
    NamespaceModes.Outcome o = modes.request(ns, mode, "dry-run".equals(mode) ? body.getString("version")
        : body.getString("approvedVersion"), body.getString("reason"), actor);
    if (o instanceof NamespaceModes.Refused r) {
      throw new ApiException(r.status(), r.code(), r.message());
    }
    NamespaceModes.Changed c = (NamespaceModes.Changed) o;
    NamespaceModes.Serving s = c.serving();
    return new JsonObject().put("namespace", ns).put("mode", s.mode().label()).put("requestedMode", s.requested().label())
        .put("modeSource", s.source()).put("modeNote", s.note())
        .put("approvedVersion", s.approved() == null ? null : s.approved().version())
        .put("servedVersion", s.served().proposalVersion())
        .put("dryRunVersion", s.pin() == null ? null : s.pin().version())
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
