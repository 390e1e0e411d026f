package io.meshwarden.sidecar.rbac.eval;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One route configuration compiled for RBAC: which route a request takes (virtual host by
 * {@code :authority}, then the first route whose match holds) and the {@code RBACPerRoute} that
 * applies to an HTTP RBAC filter there, the most specific level winning (route, then virtual host,
 * then the route configuration), as Envoy and grpc-xds resolve per-filter configs. An override
 * without {@code rbac} disables the filter on that route. Immutable.
 */
final class RouteTable {
  /** The route a request took: its name ({@code vhost/route}) and the overrides by filter name. */
  record Hit(String name, Map<String, RbacFilter> overrides) {}

  private record CompiledRoute(String name, Matcher match, Map<String, RbacFilter> overrides) {}

  private record Host(String name, List<String> domains, List<CompiledRoute> routes) {}

  private final String name;
  private final List<Host> hosts = new ArrayList<>();

  private RouteTable(RouteConfiguration rc, List<String> unsupported) {
    this.name = rc.getName();
    Map<String, RbacFilter> top = overrides(rc.getTypedPerFilterConfigMap(), rc.getName(), unsupported);
    for (VirtualHost vh : rc.getVirtualHostsList()) {
      Map<String, RbacFilter> atHost = merge(top, overrides(vh.getTypedPerFilterConfigMap(), vh.getName(), unsupported));
      List<CompiledRoute> routes = new ArrayList<>();
      int i = 0;
      for (Route r : vh.getRoutesList()) {
        String routeName = vh.getName() + "/" + (r.getName().isEmpty() ? "route[" + i + "]" : r.getName());
        routes.add(new CompiledRoute(routeName, match(r.getMatch(), routeName, unsupported),
            merge(atHost, overrides(r.getTypedPerFilterConfigMap(), routeName, unsupported))));
        i++;
      }
      hosts.add(new Host(vh.getName(), vh.getDomainsList().stream().map(d -> d.toLowerCase(Locale.ROOT)).toList(),
          List.copyOf(routes)));
    }
  }

  static RouteTable of(RouteConfiguration rc, List<String> unsupported) {
    return new RouteTable(rc, unsupported);
  }

  String name() {
    return name;
  }

  /** The route {@code r} takes, or null when none matches (Envoy answers 404, gRPC UNAVAILABLE). */
  Hit route(Request r) {
    Host host = host(r);
    if (host == null) {
      return null;
    }
    for (CompiledRoute c : host.routes) {
      if (c.match.matches(r)) {
        return new Hit(c.name, c.overrides);
      }
    }
    return null;
  }

  /** Exact domain first, then the longest suffix wildcard, then the longest prefix wildcard, then {@code *}. */
  private Host host(Request r) {
    if (hosts.size() == 1 && hosts.get(0).domains.equals(List.of("*"))) {
      // The served form's one catch-all virtual host: no need to look at the authority.
      return hosts.get(0);
    }
    String authority = r.header(":authority");
    if (authority == null) {
      authority = r.header("host");
    }
    String h = authority == null ? "" : authority.toLowerCase(Locale.ROOT);
    Host best = null;
    int bestRank = -1;
    int bestLen = -1;
    for (Host host : hosts) {
      for (String d : host.domains) {
        int rank;
        if (d.equals(h)) {
          rank = 3;
        } else if (d.length() > 1 && d.startsWith("*") && h.endsWith(d.substring(1)) && h.length() > d.length() - 1) {
          rank = 2;
        } else if (d.length() > 1 && d.endsWith("*") && h.startsWith(d.substring(0, d.length() - 1))
            && h.length() > d.length() - 1) {
          rank = 1;
        } else if (d.equals("*")) {
          rank = 0;
        } else {
          continue;
        }
        if (rank > bestRank || (rank == bestRank && d.length() > bestLen)) {
          best = host;
          bestRank = rank;
          bestLen = d.length();
        }
      }
    }
    return best;
  }

  private static Matcher match(RouteMatch m, String where, List<String> unsupported) {
    boolean caseSensitive = !m.hasCaseSensitive() || m.getCaseSensitive().getValue();
    Matcher path;
    switch (m.getPathSpecifierCase()) {
      case PREFIX: {
        String p = caseSensitive ? m.getPrefix() : m.getPrefix().toLowerCase(Locale.ROOT);
        path = r -> fold(pathOf(r), caseSensitive).startsWith(p);
        break;
      }
      case PATH: {
        String p = caseSensitive ? m.getPath() : m.getPath().toLowerCase(Locale.ROOT);
        path = r -> fold(urlPathOf(r), caseSensitive).equals(p);
        break;
      }
      case PATH_SEPARATED_PREFIX: {
        String p = caseSensitive ? m.getPathSeparatedPrefix() : m.getPathSeparatedPrefix().toLowerCase(Locale.ROOT);
        path = r -> {
          String u = fold(urlPathOf(r), caseSensitive);
          return u.equals(p) || u.startsWith(p + "/");
        };
        break;
      }
      case SAFE_REGEX: {
        Pattern re = Pattern.compile(m.getSafeRegex().getRegex());
        path = r -> re.matcher(urlPathOf(r)).matches();
        break;
      }
      default:
        unsupported.add("route " + where + ": path match " + m.getPathSpecifierCase() + " (never matches here)");
        return Matcher.NEVER;
    }
    if (m.getQueryParametersCount() > 0 || m.getDynamicMetadataCount() > 0 || m.hasTlsContext()
        || m.getFilterStateCount() > 0) {
      unsupported.add("route " + where + ": query, metadata, TLS or filter-state match (never matches here)");
      return Matcher.NEVER;
    }
    List<Matcher> all = new ArrayList<>();
    all.add(path);
    for (HeaderMatcher h : m.getHeadersList()) {
      all.add(Matchers.header(h));
    }
    if (m.hasGrpc()) {
      all.add(r -> {
        String ct = r.header("content-type");
        return ct != null && ct.startsWith("application/grpc");
      });
    }
    return Matchers.and(all);
  }

  /** An entry with no HTTP request line (an L4 record) is routed as {@code /}. */
  private static String pathOf(Request r) {
    return r.path == null ? "/" : r.path;
  }

  private static String urlPathOf(Request r) {
    String u = r.urlPath();
    return u == null ? "/" : u;
  }

  private static String fold(String s, boolean caseSensitive) {
    return caseSensitive ? s : s.toLowerCase(Locale.ROOT);
  }

  private static Map<String, RbacFilter> merge(Map<String, RbacFilter> outer, Map<String, RbacFilter> inner) {
    if (inner.isEmpty()) {
      return outer;
    }
    Map<String, RbacFilter> m = new HashMap<>(outer);
    m.putAll(inner);
    return Map.copyOf(m);
  }

  /** The RBAC overrides among {@code typed_per_filter_config}; other filters' configs are not ours to read. */
  private static Map<String, RbacFilter> overrides(Map<String, Any> configs, String where, List<String> unsupported) {
    Map<String, RbacFilter> out = new HashMap<>();
    for (Map.Entry<String, Any> e : configs.entrySet()) {
      Any cfg = e.getValue();
      try {
        if (cfg.is(FilterConfig.class)) {
          FilterConfig fc = cfg.unpack(FilterConfig.class);
          if (fc.getDisabled()) {
            out.put(e.getKey(), RbacFilter.NONE);
            continue;
          }
          cfg = fc.getConfig();
        }
        if (cfg.is(RBACPerRoute.class)) {
          RBACPerRoute pr = cfg.unpack(RBACPerRoute.class);
          // Envoy and grpc-xds alike: an override without rbac disables the filter on this route.
          out.put(e.getKey(), pr.hasRbac() ? RbacFilter.of(pr.getRbac(), unsupported) : RbacFilter.NONE);
        }
      } catch (InvalidProtocolBufferException ex) {
        throw new IllegalArgumentException(where + ": unreadable typed_per_filter_config " + e.getKey(), ex);
      }
    }
    return Map.copyOf(out);
  }
}
