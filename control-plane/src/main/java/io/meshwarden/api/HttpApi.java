package io.meshwarden.api;

import io.meshwarden.aggregate.TrafficView;
import io.meshwarden.finding.Finding;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.verdict.DryRunReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The HTTP server: routes, parameter checks and JSON errors. Handlers never block the event loop. */
public final class HttpApi implements AutoCloseable {
  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final String JSON = "application/json; charset=utf-8";

  /** What the API reads; every method returns immutable values. */
  public interface State {
    /** True once the first cluster state is loaded (and start-up replay is done). */
    boolean ready();

    Optional<ClusterSnapshot> cluster();

    CompletableFuture<TrafficView> traffic();

    List<Metric> metrics();

    /** The namespace's live dry-run and drift (see {@code io.meshwarden.verdict.LiveVerdicts}). */
    CompletableFuture<DryRunReport> dryRun(String namespace);

    /** Drift findings (MW109) of every enforcing namespace, added to the findings report. */
    CompletableFuture<List<Finding>> driftFindings();

    /** What the UI must say about where the data comes from (the demo's recording), if anything. */
    default Optional<String> notice() {
      return Optional.empty();
    }

    /** What runs simulated next to the control plane (the demo's {@code --workloads}), as a JSON object. */
    default Optional<String> simulated() {
      return Optional.empty();
    }
  }

  /** More routes, mounted before the catch-all 404; they answer with {@link #error} and {@link #json}. */
  public interface Routes {
    void mount(Router router);
  }

  private final Vertx vertx;
  private final State state;
  private final List<Routes> routes;
  private final LiveAnalysis analysis;
  private final String toolVersion;
  private final String trustDomain;
  private final ExecutorService analysisThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "meshwarden-analysis");
    t.setDaemon(true);
    return t;
  });
  private HttpServer server;

  public HttpApi(State state, String toolVersion, String trustDomain) {
    this(state, toolVersion, trustDomain, List.of());
  }

  public HttpApi(State state, String toolVersion, String trustDomain, List<Routes> routes) {
    this.state = Objects.requireNonNull(state, "state");
    this.routes = List.copyOf(routes);
    this.analysis = new LiveAnalysis(toolVersion, trustDomain);
    this.toolVersion = toolVersion;
    this.trustDomain = trustDomain;
    this.vertx = Vertx.vertx();
  }

  /** Binds and returns the port (useful when asked for port 0). */
  public int listen(String host, int port) throws Exception {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok").encode()));
    router.get("/readyz").handler(ctx -> {
      if (state.ready()) {
        json(ctx, 200, new JsonObject().put("status", "ready").encode());
      } else {
        error(ctx, ApiException.notReady());
      }
    });
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", PrometheusText.CONTENT_TYPE)
        .end(PrometheusText.render(state.metrics())));
    router.get("/api/v1/graph").handler(ctx -> {
      checkParams(ctx, Set.of("namespace"));
      String ns = ctx.request().getParam("namespace");
      if (ns != null && !DNS_LABEL.matcher(ns).matches()) {
        throw ApiException.badRequest("namespace \"" + ns + "\" is not a valid namespace name");
      }
      answer(ctx, (cluster, traffic) -> analysis.graph(cluster, traffic, ns));
    });
    router.get("/api/v1/findings").handler(ctx -> {
      checkParams(ctx, Set.of("max-path-length"));
      int maxPath = intParam(ctx, "max-path-length", 6, 1, 20);
      Optional<ClusterSnapshot> cluster = readyCluster();
      state.driftFindings().whenComplete((drift, failure) -> {
        if (failure != null) {
          fail(ctx, failure);
        } else {
          vertx.runOnContext(v -> answer(ctx, cluster, (c, traffic) -> analysis.findings(c, traffic, maxPath, drift)));
        }
      });
    });
    // A namespace name that is not a DNS label is bad input (400); a well-formed name the cluster
    // does not have and nothing is served to is 404; a namespace in observe mode is 200 with
    // empty lists (it is known, nothing is judged there).
    router.get("/api/v1/namespaces/:ns/dryrun").handler(ctx -> {
      checkParams(ctx, Set.of());
      String ns = ctx.pathParam("ns");
      if (ns == null || !DNS_LABEL.matcher(ns).matches()) {
        throw ApiException.badRequest("namespace \"" + ns + "\" is not a valid namespace name");
      }
      ClusterSnapshot cluster = readyCluster().orElseThrow();
      state.dryRun(ns).whenComplete((report, failure) -> {
        if (failure != null) {
          fail(ctx, failure);
        } else if (report.mode() == io.meshwarden.sidecar.ServingMode.OBSERVE && report.versions().isEmpty()
            && !knows(cluster, ns)) {
          vertx.runOnContext(v -> error(ctx, new ApiException(404, "not_found",
              "namespace \"" + ns + "\" is not in the cluster and nothing is served to it")));
        } else {
          vertx.runOnContext(v -> json(ctx, 200, DryRunJson.render(report).encode()));
        }
      });
    });
    router.route("/api/v1/namespaces/:ns/dryrun").handler(ctx -> error(ctx, new ApiException(405,
        "method_not_allowed", ctx.request().method() + " is not allowed on " + ctx.request().path() + " (use GET)")));
    new UiRoutes(vertx, state, this, analysis, trustDomain, toolVersion).mount(router);
    for (String path : List.of("/healthz", "/readyz", "/metrics", "/api/v1/graph", "/api/v1/findings")) {
      router.route(path).handler(ctx -> error(ctx, new ApiException(405, "method_not_allowed",
          ctx.request().method() + " is not allowed on " + path + " (use GET)")));
    }
    routes.forEach(r -> r.mount(router));
    router.route().last().handler(ctx -> error(ctx, new ApiException(404, "not_found",
        "no such resource: " + ctx.request().method() + " " + ctx.request().path())));
    router.errorHandler(405, ctx -> error(ctx, new ApiException(405, "method_not_allowed",
        ctx.request().method() + " is not allowed on " + ctx.request().path())));
    router.errorHandler(404, ctx -> error(ctx, new ApiException(404, "not_found",
        "no such resource: " + ctx.request().path())));
    router.errorHandler(400, ctx -> error(ctx, ApiException.badRequest(
        ctx.failure() != null && ctx.failure().getMessage() != null ? ctx.failure().getMessage() : "bad request")));
    router.errorHandler(500, ctx -> error(ctx, ctx.failure() instanceof ApiException a ? a
        : new ApiException(503, "unavailable", "the request could not be served: "
            + (ctx.failure() == null ? "unknown error" : ctx.failure().getMessage()))));
    server = vertx.createHttpServer().requestHandler(router).listen(port, host)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return server.actualPort();
  }

  interface Analysis {
    String run(ClusterSnapshot cluster, TrafficView traffic);
  }

  private Optional<ClusterSnapshot> readyCluster() {
    Optional<ClusterSnapshot> cluster = state.cluster();
    if (!state.ready() || cluster.isEmpty()) {
      throw ApiException.notReady();
    }
    return cluster;
  }

  private static boolean knows(ClusterSnapshot cluster, String namespace) {
    return cluster.model().namespaces().containsKey(namespace)
        || cluster.model().workloads().stream().anyMatch(w -> w.namespace().equals(namespace));
  }

  void answer(RoutingContext ctx, Analysis a) {
    answer(ctx, readyCluster(), a);
  }

  private void answer(RoutingContext ctx, Optional<ClusterSnapshot> cluster, Analysis a) {
    state.traffic().thenApplyAsync(traffic -> a.run(cluster.get(), traffic), analysisThread)
        .whenComplete((body, failure) -> {
          if (failure != null) {
            fail(ctx, failure);
          } else {
            vertx.runOnContext(v -> json(ctx, 200, body));
          }
        });
  }

  private void fail(RoutingContext ctx, Throwable failure) {
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    vertx.runOnContext(v -> error(ctx, cause instanceof ApiException e ? e
        : new ApiException(503, "unavailable", "the analysis could not run: " + cause.getMessage())));
  }

  static void checkParams(RoutingContext ctx, Set<String> known) {
    for (String name : ctx.queryParams().names()) {
      if (!known.contains(name)) {
        throw ApiException.badRequest("unknown query parameter \"" + name + "\"" + (known.isEmpty() ? ""
            : " (known: " + String.join(", ", known.stream().sorted().toList()) + ")"));
      }
    }
    for (String name : known) {
      if (ctx.queryParams().getAll(name).size() > 1) {
        throw ApiException.badRequest("query parameter \"" + name + "\" given more than once");
      }
    }
  }

  static int intParam(RoutingContext ctx, String name, int dflt, int min, int max) {
    String v = ctx.request().getParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiException.badRequest(name + " must be a whole number from " + min + " to " + max + ", not \"" + v + "\"");
  }

  static void json(RoutingContext ctx, int status, String body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("content-type", JSON).end(body);
    }
  }

  static void error(RoutingContext ctx, ApiException e) {
    json(ctx, e.status, new JsonObject().put("error", new JsonObject().put("code", e.code).put("message",
        e.getMessage())).encode());
  }

  @Override
  public void close() {
    analysisThread.shutdownNow();
    Future<Void> f = vertx.close();
    try {
      f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing at shutdown: nothing left to tell
    }
  }
}
