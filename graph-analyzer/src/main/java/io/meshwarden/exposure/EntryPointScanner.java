package io.meshwarden.exposure;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.IngressRoute;
import io.meshwarden.model.Service;
import io.meshwarden.model.ServicePort;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Finds every {@link EntryPoint}. Pure; sorted by workload, then kind. */
public final class EntryPointScanner {
  private EntryPointScanner() {}

  /** The entry points the manifests declare. */
  public static List<EntryPoint> scan(ClusterModel model) {
    return sorted(declared(model));
  }

  /**
   * The declared entry points and, from {@code traffic}, every workload that received flows from
   * public addresses: one entry per workload, naming how many flows and addresses, with a sample.
   */
  public static List<EntryPoint> scan(ClusterModel model, TrafficModel traffic) {
    List<EntryPoint> out = declared(model);
    Map<String, Workload> byId = new HashMap<>();
    model.workloads().forEach(w -> byId.put(w.id(), w));
    Map<String, List<ObservedEdge>> inbound = new TreeMap<>();
    for (ObservedEdge e : traffic.edges()) {
      if (e.key().destination().isWorkload() && isPublic(e.key().source())) {
        inbound.computeIfAbsent(e.key().destination().id(), k -> new ArrayList<>()).add(e);
      }
    }
    for (Map.Entry<String, List<ObservedEdge>> e : inbound.entrySet()) {
      Workload w = byId.get(e.getKey());
      if (w == null) {
        continue;
      }
      List<ObservedEdge> edges = e.getValue();
      long flows = edges.stream().mapToLong(x -> x.stats().count()).sum();
      Set<String> sources = new TreeSet<>();
      Set<String> ports = new TreeSet<>();
      edges.forEach(x -> {
        sources.add(x.key().source().id());
        ports.add(x.key().protocol() + " " + x.key().port());
      });
      ObservedEdge first = edges.get(0);
      out.add(new EntryPoint(w, EntryPoint.Kind.ObservedPublic, "traffic from public addresses",
          flows + " flow" + (flows == 1 ? "" : "s") + " from " + sources.size() + " public source"
              + (sources.size() == 1 ? "" : "s") + " (e.g. " + first.key().source() + ") to " + String.join(", ", ports)
              + ", " + first.stats().firstSeen() + " .. " + first.stats().lastSeen(), first.stats().sample()));
    }
    return sorted(out);
  }

  /**
   * Whether a flow source is on the public internet: an address outside private-use space, or a
   * peer known only as "the internet". Nodes, DNS names and private ranges are not.
   */
  static boolean isPublic(PeerRef p) {
    if (p.type() == PeerRef.Type.INTERNET) {
      return true;
    }
    return p.address().map(a -> !a.isPrivateUse()).orElse(false);
  }

  private static List<EntryPoint> declared(ClusterModel model) {
    List<EntryPoint> out = new ArrayList<>();
    for (Service s : model.services()) {
      if (!s.isExternallyExposed()) {
        continue;
      }
      EntryPoint.Kind kind = "LoadBalancer".equals(s.type()) ? EntryPoint.Kind.LoadBalancer : EntryPoint.Kind.NodePort;
      for (Workload w : model.workloads()) {
        if (s.selects(w)) {
          out.add(new EntryPoint(w, kind, "Service " + s.namespace() + "/" + s.name(), ports(s.ports()), s.origin()));
        }
      }
    }
    for (IngressRoute r : model.ingressRoutes()) {
      for (IngressRoute.Backend b : r.backends()) {
        Service s = model.services().stream()
            .filter(x -> x.namespace().equals(r.namespace()) && x.name().equals(b.service())).findFirst().orElse(null);
        if (s == null) {
          continue;
        }
        String where = (b.host() == null ? "*" : b.host()) + (b.path() == null ? "" : b.path());
        String detail = where + " -> service " + s.name() + (b.port() == null ? "" : ":" + b.port());
        EntryPoint.Kind kind = "Route".equals(r.kind()) ? EntryPoint.Kind.Route : EntryPoint.Kind.Ingress;
        for (Workload w : model.workloads()) {
          if (s.selects(w)) {
            out.add(new EntryPoint(w, kind, r.kind() + " " + r.namespace() + "/" + r.name(), detail, r.origin()));
          }
        }
      }
    }
    for (Workload w : model.workloads()) {
      if (w.hostNetwork()) {
        out.add(new EntryPoint(w, EntryPoint.Kind.HostNetwork, "hostNetwork: true",
            "pods share the node's network namespace; NetworkPolicy does not apply", w.origin()));
      }
      for (Container c : w.containers()) {
        for (ContainerPort p : c.ports()) {
          if (p.hostPort() > 0) {
            out.add(new EntryPoint(w, EntryPoint.Kind.HostPort, "container " + c.name(),
                "hostPort " + p.hostPort() + " -> " + p.port() + "/" + p.protocol(), w.origin()));
          }
        }
      }
    }
    out.addAll(MeshEntryPoints.scan(model));
    return out;
  }

  private static List<EntryPoint> sorted(List<EntryPoint> out) {
    out.sort(Comparator.comparing((EntryPoint e) -> e.workload().namespace())
        .thenComparing(e -> e.workload().name())
        .thenComparing(EntryPoint::kind)
        .thenComparing(EntryPoint::via)
        .thenComparing(EntryPoint::detail));
    return List.copyOf(out);
  }

  private static String ports(List<ServicePort> ports) {
    List<String> parts = new ArrayList<>();
    for (ServicePort p : ports) {
      String s = "port " + p.port() + " -> " + p.targetPort() + "/" + p.protocol();
      if (p.nodePort() > 0) {
        s += " (nodePort " + p.nodePort() + ")";
      }
      parts.add(s);
    }
    return parts.isEmpty() ? "no ports" : String.join(", ", parts);
  }
}
