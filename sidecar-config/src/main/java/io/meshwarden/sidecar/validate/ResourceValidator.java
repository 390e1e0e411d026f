package io.meshwarden.sidecar.validate;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.WorkloadResources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Validates generated xDS resources before anything may serve them. Returns every problem found,
 * each prefixed with the resource and field path; an empty list means valid. Stateless.
 */
public final class ResourceValidator {
  private ResourceValidator() {}

  /** A sidecar's resources: PGV rules, our structural checks, and listener → cluster references. */
  public static List<String> validate(WorkloadResources resources) {
    List<String> errors = new ArrayList<>();
    Set<String> clusters = new HashSet<>();
    for (Cluster c : resources.clusters()) {
      String path = "cluster " + c.getName();
      PgvRules.check(c, path, errors);
      if (!clusters.add(c.getName())) {
        errors.add(path + ": duplicate name");
      }
      c.getLoadAssignment().getEndpointsList().forEach(l -> l.getLbEndpointsList().forEach(e ->
          port(e.getEndpoint().getAddress().getSocketAddress(), path + ": endpoint", errors)));
    }
    Set<String> listeners = new HashSet<>();
    for (Listener l : resources.listeners()) {
      String path = "listener " + l.getName();
      if (!listeners.add(l.getName())) {
        errors.add(path + ": duplicate name");
      }
      common(l, path, errors, cluster -> {
        if (!clusters.contains(cluster)) {
          errors.add(path + ": references cluster " + cluster + " that is not in the snapshot");
        }
      });
    }
    return errors;
  }

  /**
   * Proxyless gRPC listeners: everything {@link #validate} checks, plus what grpc-xds requires
   * (name and address {@code 0.0.0.0:PORT}, no listener filters, INBOUND or unset direction, only
   * non-forwarding routes, no {@code grpc-*} or {@code :scheme} header matchers).
   */
  public static List<String> validateGrpc(WorkloadResources resources) {
    List<String> errors = new ArrayList<>();
    for (Listener l : resources.listeners()) {
      String path = "listener " + l.getName();
      common(l, path, errors, cluster -> errors.add(path + ": routes to cluster " + cluster
          + "; grpc-xds servers need non_forwarding_action"));
      SocketAddress a = l.getAddress().getSocketAddress();
      String expected = "grpc/server?xds.resource.listening_address=0.0.0.0:" + a.getPortValue();
      if (!a.getAddress().equals("0.0.0.0") || !l.getName().equals(expected)) {
        errors.add(path + ": must be named " + expected + " and bound to exactly 0.0.0.0:PORT (got "
            + a.getAddress() + ":" + a.getPortValue() + ")");
      }
      if (l.getListenerFiltersCount() > 0) {
        errors.add(path + ": grpc-xds rejects listener_filters");
      }
      if (l.getTrafficDirection() != TrafficDirection.INBOUND
          && l.getTrafficDirection() != TrafficDirection.UNSPECIFIED) {
        errors.add(path + ": traffic_direction must be INBOUND or unset");
      }
      if (l.hasUseOriginalDst() && l.getUseOriginalDst().getValue()) {
        errors.add(path + ": grpc-xds rejects use_original_dst");
      }
      forEachHcm(l, path, errors, (hcm, p) -> {
        if (hcm.hasRds() && !(hcm.getRds().getConfigSource().hasAds() || hcm.getRds().getConfigSource().hasSelf())) {
          errors.add(p + ": RDS config_source must be ads or self");
        }
        for (HttpFilter f : hcm.getHttpFiltersList()) {
          RbacChecks.forbiddenHeaders(f, p, errors);
        }
      });
    }
    return errors;
  }

  /**
   * The served form (LDS + RDS + CDS): every listener/cluster check of {@link #validate} (or, for
   * {@code grpc}, of {@link #validateGrpc}), PGV rules on every route configuration, RBAC checks on
   * every {@code RBACPerRoute}, routes to clusters that exist (Envoy form) or non-forwarding routes
   * only (gRPC form), and LDS↔RDS consistency: every route configuration a listener names over RDS
   * exists, and every route configuration is named by a listener.
   */
  public static List<String> validateServed(ServedResources resources, boolean grpc) {
    List<String> errors = new ArrayList<>(grpc ? validateGrpc(resources.listenerPart())
        : validate(resources.listenerPart()));
    Set<String> clusters = new HashSet<>();
    resources.clusters().forEach(c -> clusters.add(c.getName()));
    java.util.Map<String, RouteConfiguration> routes = new java.util.HashMap<>();
    for (RouteConfiguration rc : resources.routes()) {
      String path = "route " + rc.getName();
      if (routes.put(rc.getName(), rc) != null) {
        errors.add(path + ": duplicate name");
      }
      PgvRules.check(rc, path, errors);
      for (VirtualHost vh : rc.getVirtualHostsList()) {
        perRouteRbac(vh.getTypedPerFilterConfigMap(), path + ": virtual host " + vh.getName(), errors);
        for (Route r : vh.getRoutesList()) {
          perRouteRbac(r.getTypedPerFilterConfigMap(), path + ": route " + r.getName(), errors);
          if (r.hasRoute()) {
            if (grpc) {
              errors.add(path + ": routes to cluster " + r.getRoute().getCluster()
                  + "; grpc-xds servers need non_forwarding_action");
            } else if (!clusters.contains(r.getRoute().getCluster())) {
              errors.add(path + ": references cluster " + r.getRoute().getCluster() + " that is not in the snapshot");
            }
          }
        }
      }
    }
    Set<String> named = new HashSet<>();
    for (Listener l : resources.listeners()) {
      forEachHcm(l, "listener " + l.getName(), errors, (hcm, p) -> {
        if (hcm.hasRds()) {
          String name = hcm.getRds().getRouteConfigName();
          named.add(name);
          if (!routes.containsKey(name)) {
            errors.add(p + ": names route configuration " + name + " that is not in the snapshot");
          }
          if (!hcm.getRds().getConfigSource().hasAds()) {
            errors.add(p + ": RDS must come over ADS, from this snapshot");
          }
        }
      });
    }
    for (String name : routes.keySet()) {
      if (!named.contains(name)) {
        errors.add("route " + name + ": no listener names it");
      }
    }
    return errors;
  }

  private static void perRouteRbac(java.util.Map<String, Any> configs, String path, List<String> errors) {
    for (var e : configs.entrySet()) {
      if (!e.getValue().is(RBACPerRoute.class)) {
        continue;
      }
      try {
        RBACPerRoute per = e.getValue().unpack(RBACPerRoute.class);
        var rbac = per.getRbac();
        RbacChecks.filter(rbac.hasRules() ? rbac.getRules() : null,
            rbac.hasShadowRules() ? rbac.getShadowRules() : null, path, errors);
        HttpFilter asFilter = HttpFilter.newBuilder().setName(e.getKey()).setTypedConfig(Any.pack(rbac)).build();
        RbacChecks.forbiddenHeaders(asFilter, path, errors);
      } catch (InvalidProtocolBufferException ex) {
        errors.add(path + ": unreadable RBACPerRoute");
      }
    }
  }

  /** Checks shared by both forms; {@code routedCluster} hears every cluster a route or proxy names. */
  private static void common(Listener l, String path, List<String> errors, Consumer<String> routedCluster) {
    PgvRules.check(l, path, errors);
    port(l.getAddress().getSocketAddress(), path + ": address", errors);
    Set<FilterChainMatch> matches = new HashSet<>();
    List<FilterChain> chains = new ArrayList<>(l.getFilterChainsList());
    for (FilterChain fc : chains) {
      String cp = path + ": filter chain " + fc.getName();
      if (!matches.add(fc.getFilterChainMatch())) {
        errors.add(cp + ": same filter_chain_match as an earlier chain");
      }
      if (fc.getFilterChainMatch().hasDestinationPort()) {
        int p = fc.getFilterChainMatch().getDestinationPort().getValue();
        if (p < 1 || p > 65535) {
          errors.add(cp + ": destination_port " + p + " out of range");
        }
      }
    }
    if (l.hasDefaultFilterChain()) {
      chains.add(l.getDefaultFilterChain());
    }
    if (chains.isEmpty()) {
      errors.add(path + ": no filter chains");
    }
    for (FilterChain fc : chains) {
      String cp = path + ": filter chain " + fc.getName();
      if (fc.getFiltersCount() == 0) {
        errors.add(cp + ": no filters");
      }
      for (Filter f : fc.getFiltersList()) {
        Any cfg = f.getTypedConfig();
        try {
          if (cfg.is(TcpProxy.class)) {
            routedCluster.accept(cfg.unpack(TcpProxy.class).getCluster());
          } else if (cfg.is(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class)) {
            var rbac = cfg.unpack(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class);
            RbacChecks.filter(rbac.hasRules() ? rbac.getRules() : null,
                rbac.hasShadowRules() ? rbac.getShadowRules() : null, cp, errors);
          } else if (cfg.is(HttpConnectionManager.class)) {
            hcm(cfg.unpack(HttpConnectionManager.class), cp, errors, routedCluster);
          }
        } catch (InvalidProtocolBufferException e) {
          errors.add(cp + ": unreadable typed_config of " + f.getName());
        }
      }
      // Envoy needs a terminal network filter last; it is the one that forwards.
      if (fc.getFiltersCount() > 0) {
        Any last = fc.getFilters(fc.getFiltersCount() - 1).getTypedConfig();
        if (!last.is(TcpProxy.class) && !last.is(HttpConnectionManager.class)) {
          errors.add(cp + ": last network filter must be tcp_proxy or http_connection_manager");
        }
      }
    }
  }

  private static void hcm(HttpConnectionManager hcm, String path, List<String> errors, Consumer<String> routedCluster)
      throws InvalidProtocolBufferException {
    int n = hcm.getHttpFiltersCount();
    if (n == 0) {
      errors.add(path + ": http connection manager without http filters");
    }
    for (int i = 0; i < n; i++) {
      HttpFilter f = hcm.getHttpFilters(i);
      boolean router = f.getTypedConfig().is(io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.class);
      if (router != (i == n - 1)) {
        errors.add(path + ": the router must be the last http filter (found " + f.getName() + " at " + i + ")");
      }
      if (f.getTypedConfig().is(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class)) {
        var rbac = f.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class);
        // Over RDS an empty filter is the base the routes' RBACPerRoute overrides (the served form).
        if (hcm.hasRds() && !rbac.hasRules() && !rbac.hasShadowRules()) {
          continue;
        }
        RbacChecks.filter(rbac.hasRules() ? rbac.getRules() : null,
            rbac.hasShadowRules() ? rbac.getShadowRules() : null, path, errors);
      }
    }
    for (VirtualHost vh : hcm.getRouteConfig().getVirtualHostsList()) {
      for (Route r : vh.getRoutesList()) {
        if (r.hasRoute()) {
          routedCluster.accept(r.getRoute().getCluster());
        }
      }
    }
  }

  private static void forEachHcm(Listener l, String path, List<String> errors,
      java.util.function.BiConsumer<HttpConnectionManager, String> check) {
    for (FilterChain fc : l.getFilterChainsList()) {
      for (Filter f : fc.getFiltersList()) {
        if (f.getTypedConfig().is(HttpConnectionManager.class)) {
          try {
            check.accept(f.getTypedConfig().unpack(HttpConnectionManager.class), path + ": filter chain " + fc.getName());
          } catch (InvalidProtocolBufferException e) {
            errors.add(path + ": unreadable http connection manager");
          }
        }
      }
    }
  }

  private static void port(SocketAddress a, String path, List<String> errors) {
    if (a.getPortValue() < 1 || a.getPortValue() > 65535) {
      errors.add(path + ": port " + a.getPortValue() + " out of range 1-65535");
    }
  }
}
