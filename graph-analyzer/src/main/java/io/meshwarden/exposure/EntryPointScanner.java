package io.meshwarden.exposure;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.IngressRoute;
import io.meshwarden.model.Service;
import io.meshwarden.model.ServicePort;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Finds every {@link EntryPoint} the manifests declare. Pure; sorted by workload, then kind. */
public final class EntryPointScanner {
  private EntryPointScanner() {}

  public static List<EntryPoint> scan(ClusterModel model) {
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
