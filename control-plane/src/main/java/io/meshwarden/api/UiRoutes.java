package io.meshwarden.api;

import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.model.Workload;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The review UI's routes: its static files, the OpenAPI document, the graph views and workload
 * details it draws from, and the server-sent event stream that tells it when the state changed.
 * Handlers validate on the event loop and compute on {@link HttpApi}'s analysis thread.
 */
final class UiRoutes {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final Pattern KIND = Pattern.compile("[A-Z][A-Za-z]{0,62}");
  private static final long TICK_MILLIS = 1000;
  private static final long HEARTBEAT_TICKS = 15;

  private final Vertx vertx;
  private final HttpApi.State state;
  private final HttpApi api;
  private final UiViews views;
  private final String trustDomain;
  private final String toolVersion;
  private final List<HttpServerResponse> listeners = new CopyOnWriteArrayList<>();
  private String lastSent = "";
  private long ticks;

  UiRoutes(Vertx vertx, HttpApi.State state, HttpApi api, LiveAnalysis analysis, String trustDomain,
      String toolVersion) {
    this.vertx = vertx;
    this.state = state;
    this.api = api;
    this.views = new UiViews(analysis::connectivity);
    this.trustDomain = trustDomain;
    this.toolVersion = toolVersion;
  }

  void mount(Router router) {
    router.get("/").handler(ctx -> ctx.redirect("/ui/"));
    router.get("/ui/*").handler(StaticHandler.create("ui").setCachingEnabled(false).setIndexPage("index.html"));
    router.get("/api/v1/openapi.yaml").handler(this::openapi);
    router.get("/api/v1/about").handler(ctx -> {
      HttpApi.checkParams(ctx, Set.of());
      JsonObject about = new JsonObject().put("version", toolVersion).put("ready", state.ready());
      state.notice().ifPresent(n -> about.put("notice", n));
      state.simulated().ifPresent(j -> about.put("simulated", new JsonObject(j)));
      HttpApi.json(ctx, 200, about.encode());
    });
    router.get("/api/v1/graph/overview").handler(ctx -> {
      HttpApi.checkParams(ctx, Set.of());
      api.answer(ctx, (cluster, traffic) -> views.overview(cluster, traffic).encode());
    });
    router.get("/api/v1/graph/external").handler(ctx -> {
      HttpApi.checkParams(ctx, Set.of());
      api.answer(ctx, (cluster, traffic) -> views.group(cluster, traffic, UiGraph.EXTERNAL, false).encode());
    });
    router.get("/api/v1/namespaces/:ns/graph").handler(ctx -> {
      HttpApi.checkParams(ctx, Set.of("unobserved"));
      String ns = namespace(ctx);
      boolean unobserved = bool(ctx, "unobserved");
      api.answer(ctx, (cluster, traffic) -> views.group(cluster, traffic, ns, unobserved).encode());
    });
    router.get("/api/v1/namespaces/:ns/workloads/:name").handler(ctx -> {
      HttpApi.checkParams(ctx, Set.of("kind"));
      String ns = namespace(ctx);
      String name = name(ctx);
      String kind = kind(ctx);
      api.answer(ctx, (cluster, traffic) ->
          views.workload(cluster, traffic, workload(cluster, ns, name, kind), trustDomain).encode());
    });
    router.get("/api/v1/namespaces/:ns/workloads/:name/graph").handler(ctx -> {
      HttpApi.checkParams(ctx, Set.of("kind", "unobserved"));
      String ns = namespace(ctx);
      String name = name(ctx);
      String kind = kind(ctx);
      boolean unobserved = bool(ctx, "unobserved");
      api.answer(ctx, (cluster, traffic) -> views.around(cluster, traffic,
          LiveGraph.displayId(workload(cluster, ns, name, kind)), unobserved).encode());
    });
    router.get("/api/v1/events").handler(this::events);
    for (String path : List.of("/api/v1/openapi.yaml", "/api/v1/about", "/api/v1/graph/overview",
        "/api/v1/graph/external", "/api/v1/namespaces/:ns/graph", "/api/v1/namespaces/:ns/workloads/:name",
        "/api/v1/namespaces/:ns/workloads/:name/graph", "/api/v1/events")) {
      router.route(path).handler(ctx -> HttpApi.error(ctx, new ApiException(405, "method_not_allowed",
          ctx.request().method() + " is not allowed on " + ctx.request().path() + " (use GET)")));
    }
    vertx.setPeriodic(TICK_MILLIS, id -> tick());
  }

  private void openapi(RoutingContext ctx) {
    HttpApi.checkParams(ctx, Set.of());
    try (InputStream in = UiRoutes.class.getResourceAsStream("/openapi.yaml")) {
      if (in == null) {
        throw new ApiException(404, "not_found", "this build carries no openapi.yaml");
      }
      ctx.response().putHeader("content-type", "application/yaml; charset=utf-8")
          .end(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ApiException(503, "unavailable", "openapi.yaml could not be read: " + e.getMessage());
    }
  }

  /** The workload of that namespace and name (and kind, needed only when names clash across kinds). */
  static Workload workload(ClusterSnapshot cluster, String ns, String name, String kind) {
    List<Workload> found = new ArrayList<>();
    for (Workload w : cluster.model().workloads()) {
      if (w.namespace().equals(ns) && w.name().equals(name) && (kind == null || w.kind().name().equals(kind))) {
        found.add(w);
      }
    }
    if (found.isEmpty()) {
      throw new ApiException(404, "unknown_workload", "no workload " + ns + "/" + name
          + (kind == null ? "" : " of kind " + kind));
    }
    if (found.size() > 1) {
      throw new ApiException(400, "ambiguous_workload", ns + "/" + name + " names " + found.size()
          + " workloads of different kinds; add ?kind= ("
          + String.join(", ", found.stream().map(w -> w.kind().name()).sorted().toList()) + ")");
    }
    return found.get(0);
  }

  private static String namespace(RoutingContext ctx) {
    String ns = ctx.pathParam("ns");
    if (!DNS_LABEL.matcher(ns).matches()) {
      throw ApiException.badRequest("namespace \"" + ns + "\" is not a valid namespace name");
    }
    return ns;
  }

  static String name(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (!NAME.matcher(name).matches()) {
      throw ApiException.badRequest("\"" + name + "\" is not a valid workload name");
    }
    return name;
  }

  static String kind(RoutingContext ctx) {
    String kind = ctx.request().getParam("kind");
    if (kind != null && !KIND.matcher(kind).matches()) {
      throw ApiException.badRequest("kind \"" + kind + "\" is not a workload kind such as Deployment");
    }
    return kind;
  }

  private static boolean bool(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v == null || v.equals("false")) {
      return false;
    }
    if (v.equals("true")) {
      return true;
    }
    throw ApiException.badRequest(name + " must be true or false, not \"" + v + "\"");
  }

  /** Server-sent events: {@code change} with the versions whenever the cluster or traffic moved on. */
  private void events(RoutingContext ctx) {
    HttpApi.checkParams(ctx, Set.of());
    HttpServerResponse r = ctx.response();
    r.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache").putHeader("x-accel-buffering", "no");
    r.write("retry: 2000\n\n");
    if (!lastSent.isEmpty()) {
      r.write("event: change\ndata: " + lastSent + "\n\n");
    }
    listeners.add(r);
    r.closeHandler(v -> listeners.remove(r));
    r.exceptionHandler(e -> listeners.remove(r));
  }

  private void tick() {
    ticks++;
    if (listeners.isEmpty()) {
      return;
    }
    if (ticks % HEARTBEAT_TICKS == 0) {
      broadcast(": heartbeat\n\n");
    }
    if (!state.ready() || state.cluster().isEmpty()) {
      return;
    }
    long clusterVersion = state.cluster().get().version();
    state.traffic().whenComplete((traffic, failure) -> {
      if (failure != null) {
        return;
      }
      String data = new JsonObject().put("clusterVersion", clusterVersion).put("trafficVersion", traffic.version())
          .encode();
      vertx.runOnContext(v -> {
        if (!data.equals(lastSent)) {
          lastSent = data;
          broadcast("event: change\ndata: " + data + "\n\n");
        }
      });
    });
  }

  private void broadcast(String message) {
    for (HttpServerResponse r : listeners) {
      if (r.ended() || r.closed()) {
        listeners.remove(r);
      } else {
        r.write(message);
      }
    }
  }
}
