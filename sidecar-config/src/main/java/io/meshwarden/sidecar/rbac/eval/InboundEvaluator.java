package io.meshwarden.sidecar.rbac.eval;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides requests against a whole inbound Listener: the filter chain is chosen by destination
 * port (an exact match beats a chain without one, then the default chain), and every RBAC filter
 * on it, network then HTTP, must allow. An HTTP RBAC filter is replaced by the {@code RBACPerRoute}
 * of the route the request takes, when the route configuration (inline, or served over RDS and
 * given to {@link #of(Listener, Map)}) carries one. A port with no chain is refused, as Envoy
 * closes the connection. Compiled once; thread-safe.
 */
public final class InboundEvaluator {
  private static final Decision NO_RBAC = new Decision(true, null, "NONE");
  private static final Decision NO_CHAIN = new Decision(false, null, "NO_FILTER_CHAIN");
  private static final LayerVerdict NO_RBAC_VERDICT = new LayerVerdict(NO_RBAC, null, LayerVerdict.Reason.NO_RBAC);
  private static final LayerVerdict NO_CHAIN_VERDICT =
      new LayerVerdict(NO_CHAIN, null, LayerVerdict.Reason.NO_FILTER_CHAIN);

  /** One RBAC filter of a chain; an HTTP one may be replaced per route under its filter name. */
  private record Step(String filterName, RbacFilter base, boolean http) {}

  /** A chain's RBAC filters in the order Envoy runs them, and its HTTP route table if it has one. */
  private record Chain(String name, List<Step> steps, RouteTable routes, boolean http) {}

  private final String listenerName;
  private final Map<Integer, Chain> byPort = new HashMap<>();
  private final Chain anyPort;
  private final List<String> unsupported = new ArrayList<>();

  private InboundEvaluator(Listener listener, Map<String, RouteConfiguration> rds) {
    this.listenerName = listener.getName();
    Map<String, RouteTable> tables = new HashMap<>();
    Chain any = null;
    for (FilterChain fc : listener.getFilterChainsList()) {
      Chain c = compile(fc, rds, tables);
      if (fc.hasFilterChainMatch() && fc.getFilterChainMatch().hasDestinationPort()) {
        byPort.putIfAbsent(fc.getFilterChainMatch().getDestinationPort().getValue(), c);
      } else if (any == null) {
        any = c;
      }
    }
    if (any == null && listener.hasDefaultFilterChain()) {
      any = compile(listener.getDefaultFilterChain(), rds, tables);
    }
    anyPort = any;
  }

  /** A listener whose HTTP connection managers carry their routes inline (or whose RDS routes are not known). */
  public static InboundEvaluator of(Listener listener) {
    return new InboundEvaluator(listener, Map.of());
  }

  /** A listener with the route configurations served next to it (RDS), by name. */
  public static InboundEvaluator of(Listener listener, Map<String, RouteConfiguration> rds) {
    return new InboundEvaluator(listener, Map.copyOf(rds));
  }

  public FilterDecision decide(Request r) {
    return judge(r).filterDecision();
  }

  /** Both layers' verdicts, each with the policy that decided or, for a denial, the one that would have to change. */
  public Judgement judge(Request r) {
    Chain c = byPort.get(r.destinationPort);
    if (c == null) {
      c = anyPort;
    }
    if (c == null) {
      return new Judgement(NO_CHAIN_VERDICT, NO_CHAIN_VERDICT, listenerName, null, null, false);
    }
    RouteTable.Hit hit = c.routes == null ? null : c.routes.route(r);
    LayerVerdict enforced = NO_RBAC_VERDICT;
    LayerVerdict shadow = null;
    for (Step s : c.steps) {
      RbacFilter f = s.base;
      if (s.http && hit != null) {
        f = hit.overrides().getOrDefault(s.filterName, f);
      }
      if (f.rules() != null && enforced.allowed()) {
        enforced = verdict(f.rules(), r);
      }
      if (f.shadow() != null && (shadow == null || shadow.allowed())) {
        shadow = verdict(f.shadow(), r);
      }
    }
    String route = c.routes == null ? null : c.routes.name() + (hit == null ? " (no route)" : " " + hit.name());
    return new Judgement(enforced, shadow, listenerName, c.name, route, c.http);
  }

  private static LayerVerdict verdict(RbacEvaluator e, Request r) {
    Decision d = e.decide(r);
    return d.allowed() ? LayerVerdict.allowed(d) : e.attribute(d, r);
  }

  /** Matchers and filters this listener uses that cannot be evaluated offline. */
  public List<String> unsupported() {
    return List.copyOf(unsupported);
  }

  private Chain compile(FilterChain fc, Map<String, RouteConfiguration> rds, Map<String, RouteTable> tables) {
    List<Step> out = new ArrayList<>();
    RouteTable routes = null;
    boolean http = false;
    try {
      for (Filter f : fc.getFiltersList()) {
        Any cfg = f.getTypedConfig();
        if (cfg.is(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class)) {
          var n = cfg.unpack(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class);
          out.add(new Step(f.getName(), RbacFilter.of(n.hasRules() ? n.getRules() : null,
              n.hasShadowRules() ? n.getShadowRules() : null, unsupported), false));
        } else if (cfg.is(HttpConnectionManager.class)) {
          HttpConnectionManager hcm = cfg.unpack(HttpConnectionManager.class);
          http = true;
          routes = routes(hcm, rds, tables);
          for (HttpFilter h : hcm.getHttpFiltersList()) {
            if (h.getTypedConfig().is(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class)) {
              var x = h.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class);
              out.add(new Step(h.getName(), RbacFilter.of(x, unsupported), true));
            }
          }
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("filter chain " + fc.getName() + ": unreadable typed_config", e);
    }
    return new Chain(fc.getName(), List.copyOf(out), routes, http);
  }

  private RouteTable routes(HttpConnectionManager hcm, Map<String, RouteConfiguration> rds,
      Map<String, RouteTable> tables) {
    if (hcm.hasRouteConfig()) {
      return RouteTable.of(hcm.getRouteConfig(), unsupported);
    }
    if (hcm.hasRds()) {
      String name = hcm.getRds().getRouteConfigName();
      RouteConfiguration rc = rds.get(name);
      if (rc == null) {
        unsupported.add("route configuration " + name + " is not given: its per-route RBAC is not evaluated");
        return null;
      }
      return tables.computeIfAbsent(name, n -> RouteTable.of(rc, unsupported));
    }
    return null;
  }
}
