package io.meshwarden.sidecar.rbac.eval;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides requests against a whole inbound Listener: the filter chain is chosen by destination
 * port (an exact match beats a chain without one, then the default chain), and every RBAC filter
 * on it, network then HTTP, must allow. A port with no chain is refused, as Envoy closes the
 * connection. Compiled once; thread-safe.
 */
public final class InboundEvaluator {
  private static final Decision NO_RBAC = new Decision(true, null, "NONE");
  private static final Decision NO_CHAIN = new Decision(false, null, "NO_FILTER_CHAIN");

  /** The RBAC filters of one chain, in the order Envoy runs them. */
  private record Chain(String name, List<Rbac> filters) {}

  private record Rbac(RbacEvaluator rules, RbacEvaluator shadow) {}

  private final Map<Integer, Chain> byPort = new HashMap<>();
  private final Chain anyPort;
  private final List<String> unsupported = new ArrayList<>();

  private InboundEvaluator(Listener listener) {
    Chain any = null;
    for (FilterChain fc : listener.getFilterChainsList()) {
      Chain c = compile(fc);
      if (fc.hasFilterChainMatch() && fc.getFilterChainMatch().hasDestinationPort()) {
        byPort.putIfAbsent(fc.getFilterChainMatch().getDestinationPort().getValue(), c);
      } else if (any == null) {
        any = c;
      }
    }
    if (any == null && listener.hasDefaultFilterChain()) {
      any = compile(listener.getDefaultFilterChain());
    }
    anyPort = any;
  }

  public static InboundEvaluator of(Listener listener) {
    return new InboundEvaluator(listener);
  }

  public FilterDecision decide(Request r) {
    Chain c = byPort.get(r.destinationPort);
    if (c == null) {
      c = anyPort;
    }
    if (c == null) {
      return new FilterDecision(NO_CHAIN, NO_CHAIN, null);
    }
    Decision enforced = NO_RBAC;
    Decision shadow = null;
    for (Rbac f : c.filters) {
      if (f.rules != null && enforced.allowed()) {
        enforced = f.rules.decide(r);
      }
      if (f.shadow != null && (shadow == null || shadow.allowed())) {
        shadow = f.shadow.decide(r);
      }
    }
    return new FilterDecision(enforced, shadow, c.name);
  }

  /** Matchers and filters this listener uses that cannot be evaluated offline. */
  public List<String> unsupported() {
    return List.copyOf(unsupported);
  }

  private Chain compile(FilterChain fc) {
    List<Rbac> out = new ArrayList<>();
    try {
      for (Filter f : fc.getFiltersList()) {
        Any cfg = f.getTypedConfig();
        if (cfg.is(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class)) {
          var n = cfg.unpack(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class);
          out.add(rbac(n.hasRules() ? n.getRules() : null, n.hasShadowRules() ? n.getShadowRules() : null));
        } else if (cfg.is(HttpConnectionManager.class)) {
          for (HttpFilter h : cfg.unpack(HttpConnectionManager.class).getHttpFiltersList()) {
            if (h.getTypedConfig().is(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class)) {
              var x = h.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class);
              out.add(rbac(x.hasRules() ? x.getRules() : null, x.hasShadowRules() ? x.getShadowRules() : null));
            }
          }
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("filter chain " + fc.getName() + ": unreadable typed_config", e);
    }
    return new Chain(fc.getName(), List.copyOf(out));
  }

  private Rbac rbac(io.envoyproxy.envoy.config.rbac.v3.RBAC rules, io.envoyproxy.envoy.config.rbac.v3.RBAC shadow) {
    RbacEvaluator r = rules == null ? null : RbacEvaluator.of(rules);
    RbacEvaluator s = shadow == null ? null : RbacEvaluator.of(shadow);
    if (r != null) {
      unsupported.addAll(r.unsupported());
    }
    if (s != null) {
      unsupported.addAll(s.unsupported());
    }
    return new Rbac(r, s);
  }
}
