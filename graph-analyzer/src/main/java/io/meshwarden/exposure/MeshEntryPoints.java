package io.meshwarden.exposure;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.MeshResource;
import io.meshwarden.model.Service;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Entry points that mesh and gateway objects declare: the workloads an Istio Gateway's selector
 * picks, the destinations of the VirtualServices bound to it, and the backends of Gateway API
 * routes attached to a Gateway. Read from {@link MeshResource} specs; anything that does not
 * resolve to a Service of the input yields nothing rather than a guess.
 */
final class MeshEntryPoints {
  private static final String ISTIO_NETWORKING = "networking.istio.io/";
  private static final String GATEWAY_API = "gateway.networking.k8s.io/";
  private static final Set<String> ROUTE_KINDS = Set.of("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute");

  private final ClusterModel model;
  private final Map<String, Service> services = new HashMap<>();
  private final Map<String, MeshResource> istioGateways = new HashMap<>();
  private final Map<String, MeshResource> apiGateways = new HashMap<>();

  private MeshEntryPoints(ClusterModel model) {
    this.model = model;
    model.services().forEach(s -> services.put(s.namespace() + "/" + s.name(), s));
    for (MeshResource r : model.meshResources()) {
      if (r.kind().equals("Gateway") && r.apiVersion().startsWith(ISTIO_NETWORKING)) {
        istioGateways.put(r.namespace() + "/" + r.name(), r);
      } else if (r.kind().equals("Gateway") && r.apiVersion().startsWith(GATEWAY_API)) {
        apiGateways.put(r.namespace() + "/" + r.name(), r);
      }
    }
  }

  static List<EntryPoint> scan(ClusterModel model) {
    MeshEntryPoints m = new MeshEntryPoints(model);
    List<EntryPoint> out = new ArrayList<>();
    m.istioGatewayWorkloads(out);
    m.virtualServices(out);
    m.gatewayApiWorkloads(out);
    m.gatewayApiRoutes(out);
    return out;
  }

  /** The proxies an Istio Gateway runs on: pods its selector matches, in any namespace (Istio's default). */
  private void istioGatewayWorkloads(List<EntryPoint> out) {
    for (MeshResource g : istioGateways.values()) {
      Map<String, String> selector = labels(Spec.map(g.spec().get("selector")));
      if (selector.isEmpty()) {
        continue;
      }
      for (Workload w : model.workloads()) {
        if (matches(selector, w.podLabels())) {
          out.add(new EntryPoint(w, EntryPoint.Kind.IstioGateway, "Gateway " + g.namespace() + "/" + g.name(),
              "gateway proxy for " + servers(g), g.origin()));
        }
      }
    }
  }

  /** VirtualServices bound to a Gateway: each route destination's Service is reachable from outside. */
  private void virtualServices(List<EntryPoint> out) {
    for (MeshResource vs : model.meshResources()) {
      if (!vs.kind().equals("VirtualService") || !vs.apiVersion().startsWith(ISTIO_NETWORKING)) {
        continue;
      }
      List<String> hosts = Spec.strings(vs.spec(), "hosts");
      for (String ref : Spec.strings(vs.spec(), "gateways")) {
        if (ref.equals("mesh")) {
          continue; // sidecars inside the mesh, not a way in
        }
        String gwKey = ref.contains("/") ? ref : vs.namespace() + "/" + ref;
        MeshResource gw = istioGateways.get(gwKey);
        if (gw != null && !hostsOverlap(gw, vs.namespace(), hosts)) {
          continue;
        }
        String via = "Gateway " + gwKey + (gw == null ? " (not in the input)" : "") + ", VirtualService "
            + vs.namespace() + "/" + vs.name();
        for (String section : List.of("http", "tcp", "tls")) {
          for (Object route : Spec.list(vs.spec().get(section))) {
            for (Object dest : Spec.list(Spec.map(route).get("route"))) {
              Map<String, Object> d = Spec.map(Spec.map(dest).get("destination"));
              String host = Spec.str(d, "host", null);
              Object port = Spec.map(d.get("port")).get("number");
              if (host != null) {
                addBackends(out, serviceOfHost(host, vs.namespace()), EntryPoint.Kind.IstioGateway, via,
                    section + " " + String.join(",", hosts) + " -> " + host + (port == null ? "" : ":" + port), vs);
              }
            }
          }
        }
      }
    }
  }

  /** Istio provisions a Gateway API Gateway's proxy as pods labelled with the gateway's name. */
  private void gatewayApiWorkloads(List<EntryPoint> out) {
    for (MeshResource g : apiGateways.values()) {
      for (Workload w : model.workloads()) {
        if (w.namespace().equals(g.namespace())
            && g.name().equals(w.podLabels().get("gateway.networking.k8s.io/gateway-name"))) {
          out.add(new EntryPoint(w, EntryPoint.Kind.GatewayApi, "Gateway " + g.namespace() + "/" + g.name(),
              "gateway proxy for " + listeners(g, null), g.origin()));
        }
      }
    }
  }

  /** Routes attached to a Gateway: each backend Service's workloads are reachable from outside. */
  private void gatewayApiRoutes(List<EntryPoint> out) {
    for (MeshResource route : model.meshResources()) {
      if (!ROUTE_KINDS.contains(route.kind()) || !route.apiVersion().startsWith(GATEWAY_API)) {
        continue;
      }
      for (Object p : Spec.list(route.spec().get("parentRefs"))) {
        Map<String, Object> parent = Spec.map(p);
        if (!Spec.str(parent, "kind", "Gateway").equals("Gateway")
            || !Spec.str(parent, "group", "gateway.networking.k8s.io").equals("gateway.networking.k8s.io")) {
          continue; // a Service parent is mesh (east-west) routing, not a way in
        }
        String gwKey = Spec.str(parent, "namespace", route.namespace()) + "/" + Spec.str(parent, "name", "");
        MeshResource gw = apiGateways.get(gwKey);
        String section = Spec.str(parent, "sectionName", null);
        if (gw != null && !admits(gw, section, route)) {
          continue;
        }
        String via = "Gateway " + gwKey + (gw == null ? " (not in the input)" : "") + ", " + route.kind() + " "
            + route.namespace() + "/" + route.name();
        String listener = gw == null ? "" : listeners(gw, section) + " ";
        for (Object rule : Spec.list(route.spec().get("rules"))) {
          for (Object b : Spec.list(Spec.map(rule).get("backendRefs"))) {
            Map<String, Object> ref = Spec.map(b);
            if (!Spec.str(ref, "kind", "Service").equals("Service") || !Spec.str(ref, "group", "").isEmpty()) {
              continue;
            }
            String ns = Spec.str(ref, "namespace", route.namespace());
            if (!ns.equals(route.namespace()) && !referenceGranted(route, ns, Spec.str(ref, "name", ""))) {
              continue; // a cross-namespace backend without a ReferenceGrant is not routed
            }
            Object port = ref.get("port");
            addBackends(out, services.get(ns + "/" + Spec.str(ref, "name", "")), EntryPoint.Kind.GatewayApi, via,
                listener + "-> service " + Spec.str(ref, "name", "") + (port == null ? "" : ":" + port), route);
          }
        }
      }
    }
  }

  private void addBackends(List<EntryPoint> out, Service s, EntryPoint.Kind kind, String via, String detail,
      MeshResource declaredBy) {
    if (s == null) {
      return;
    }
    for (Workload w : model.workloads()) {
      if (s.selects(w)) {
        out.add(new EntryPoint(w, kind, via, detail, declaredBy.origin()));
      }
    }
  }

  /** A route host's Service: {@code name}, {@code name.ns}, {@code name.ns.svc[.domain]}. */
  private Service serviceOfHost(String host, String routeNamespace) {
    String[] parts = host.split("\\.");
    if (parts.length == 1) {
      return services.get(routeNamespace + "/" + host);
    }
    if (parts.length == 2 || parts[2].equals("svc")) {
      return services.get(parts[1] + "/" + parts[0]);
    }
    return null;
  }

  /** Whether a VirtualService's hosts are among those a Gateway's servers accept from its namespace. */
  private static boolean hostsOverlap(MeshResource gw, String vsNamespace, List<String> vsHosts) {
    for (Object s : Spec.list(gw.spec().get("servers"))) {
      for (String h : Spec.strings(Spec.map(s), "hosts")) {
        String pattern = h;
        int slash = h.indexOf('/');
        if (slash >= 0) {
          String ns = h.substring(0, slash);
          pattern = h.substring(slash + 1);
          if (!ns.equals("*") && !(ns.equals(".") ? gw.namespace() : ns).equals(vsNamespace)) {
            continue;
          }
        }
        for (String v : vsHosts) {
          if (hostMatches(pattern, v) || hostMatches(v, pattern)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean hostMatches(String pattern, String host) {
    String p = pattern.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    return p.equals("*") || p.equals(h) || p.startsWith("*.") && h.endsWith(p.substring(1));
  }

  /** Whether one of the Gateway's listeners (the named one, if any) admits routes of this kind from this namespace. */
  private boolean admits(MeshResource gw, String sectionName, MeshResource route) {
    for (Object l : Spec.list(gw.spec().get("listeners"))) {
      Map<String, Object> listener = Spec.map(l);
      if (sectionName != null && !sectionName.equals(Spec.str(listener, "name", null))) {
        continue;
      }
      Map<String, Object> allowed = Spec.map(listener.get("allowedRoutes"));
      List<Object> kinds = Spec.list(allowed.get("kinds"));
      if (!kinds.isEmpty() && kinds.stream().noneMatch(k -> route.kind().equals(Spec.str(Spec.map(k), "kind", "")))) {
        continue;
      }
      Map<String, Object> namespaces = Spec.map(allowed.get("namespaces"));
      String from = Spec.str(namespaces, "from", "Same");
      boolean ok = switch (from) {
        case "All" -> true;
        case "Selector" -> {
          LabelSelector sel = selector(Spec.map(namespaces.get("selector")));
          yield sel != null && sel.matches(model.namespace(route.namespace()).labels());
        }
        default -> gw.namespace().equals(route.namespace());
      };
      if (ok) {
        return true;
      }
    }
    return false;
  }

  /** Whether a ReferenceGrant in {@code toNamespace} lets the route refer to the Service. */
  private boolean referenceGranted(MeshResource route, String toNamespace, String service) {
    for (MeshResource g : model.meshResources()) {
      if (!g.kind().equals("ReferenceGrant") || !toNamespace.equals(g.namespace())) {
        continue;
      }
      boolean from = Spec.list(g.spec().get("from")).stream().map(Spec::map).anyMatch(f ->
          Spec.str(f, "group", "").equals("gateway.networking.k8s.io") && route.kind().equals(Spec.str(f, "kind", ""))
              && route.namespace().equals(Spec.str(f, "namespace", "")));
      boolean to = Spec.list(g.spec().get("to")).stream().map(Spec::map).anyMatch(t ->
          Spec.str(t, "group", "").isEmpty() && Spec.str(t, "kind", "").equals("Service")
              && Spec.str(t, "name", service).equals(service));
      if (from && to) {
        return true;
      }
    }
    return false;
  }

  private static String servers(MeshResource gw) {
    Set<String> out = new LinkedHashSet<>();
    for (Object s : Spec.list(gw.spec().get("servers"))) {
      Map<String, Object> port = Spec.map(Spec.map(s).get("port"));
      out.add(Spec.str(port, "number", "?") + "/" + Spec.str(port, "protocol", "?") + " hosts "
          + String.join(",", Spec.strings(Spec.map(s), "hosts")));
    }
    return out.isEmpty() ? "no servers" : String.join("; ", out);
  }

  private static String listeners(MeshResource gw, String sectionName) {
    Set<String> out = new LinkedHashSet<>();
    for (Object l : Spec.list(gw.spec().get("listeners"))) {
      Map<String, Object> listener = Spec.map(l);
      if (sectionName == null || sectionName.equals(Spec.str(listener, "name", null))) {
        out.add("listener " + Spec.str(listener, "name", "?") + " " + Spec.str(listener, "port", "?") + "/"
            + Spec.str(listener, "protocol", "?"));
      }
    }
    return String.join(", ", out);
  }

  private static Map<String, String> labels(Map<String, Object> m) {
    Map<String, String> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** A metav1.LabelSelector given as plain data; null (selects nothing) when an operator is unknown. */
  private static LabelSelector selector(Map<String, Object> s) {
    List<LabelSelector.Requirement> reqs = new ArrayList<>();
    for (Object o : Spec.list(s.get("matchExpressions"))) {
      Map<String, Object> e = Spec.map(o);
      LabelSelector.Operator op;
      try {
        op = LabelSelector.Operator.valueOf(Spec.str(e, "operator", ""));
      } catch (IllegalArgumentException unknown) {
        return null;
      }
      reqs.add(new LabelSelector.Requirement(Spec.str(e, "key", ""), op, new LinkedHashSet<>(Spec.strings(e, "values"))));
    }
    return new LabelSelector(labels(Spec.map(s.get("matchLabels"))), reqs);
  }
}
