package io.meshwarden.connectivity;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.IngressRoute;
import io.meshwarden.model.PortRef;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Service;
import io.meshwarden.model.ServicePort;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The TCP ports that Ingress and Route objects forward to each workload: backend service → service
 * port → target port on the pods that the service selects.
 */
final class IngressControllerPorts {
  private IngressControllerPorts() {}

  static Map<Workload, ConnectionSet> compute(ClusterModel model, Consumer<Diagnostic> warn) {
    Map<Workload, ConnectionSet> out = new IdentityHashMap<>();
    for (IngressRoute route : model.ingressRoutes()) {
      for (IngressRoute.Backend b : route.backends()) {
        Service svc = findService(model, route.namespace(), b.service());
        if (svc == null) {
          warn.accept(Diagnostic.warning("route-service-missing", route.kind() + " " + route.namespace() + "/"
              + route.name() + ": ignoring target service " + b.service() + ": service not found"));
          continue;
        }
        if (svc.selector() == null) {
          continue;
        }
        List<ServicePort> ports = pick(svc, b.port());
        for (Workload w : model.workloads()) {
          if (!svc.selects(w)) {
            continue;
          }
          for (ServicePort sp : ports) {
            int port = targetPort(sp, w);
            if (port > 0 && exposes(w, port)) {
              out.merge(w, ConnectionSet.port(Protocol.TCP, port), ConnectionSet::union);
            }
          }
        }
      }
    }
    return out;
  }

  private static Service findService(ClusterModel model, String namespace, String name) {
    for (Service s : model.services()) {
      if (s.namespace().equals(namespace) && s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** The service ports a backend refers to: all when it names none, else the first that matches. */
  private static List<ServicePort> pick(Service svc, PortRef wanted) {
    if (wanted == null) {
      return svc.ports();
    }
    for (ServicePort sp : svc.ports()) {
      boolean byName = wanted.isNamed() && sp.name() != null && !sp.name().isEmpty() && wanted.name().equals(sp.name());
      boolean byNumber = !wanted.isNamed() && sp.port() == wanted.number();
      if (byName || byNumber || wanted.equals(sp.targetPort())) {
        return List.of(sp);
      }
    }
    return List.of();
  }

  private static int targetPort(ServicePort sp, Workload w) {
    PortRef t = sp.targetPort();
    if (!t.isNamed()) {
      return t.number();
    }
    for (Container c : w.containers()) {
      for (ContainerPort p : c.ports()) {
        if (t.name().equals(p.name()) && p.protocol() == Protocol.TCP) {
          return p.port();
        }
      }
    }
    return -1;
  }

  /** Whether a pod of the workload listens on the port; VirtualMachines declare none and expose all. */
  private static boolean exposes(Workload w, int port) {
    if (w.kind() == WorkloadKind.VirtualMachine) {
      return true;
    }
    for (Container c : w.containers()) {
      for (ContainerPort p : c.ports()) {
        if (p.port() == port) {
          return true;
        }
      }
    }
    return false;
  }
}
