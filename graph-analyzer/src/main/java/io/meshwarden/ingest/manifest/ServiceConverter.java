package io.meshwarden.ingest.manifest;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.meshwarden.model.IngressRoute;
import io.meshwarden.model.Origin;
import io.meshwarden.model.PortRef;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Service;
import io.meshwarden.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Services and the objects that route outside traffic to them (Ingress, OpenShift Route). */
final class ServiceConverter {
  private ServiceConverter() {}

  static Service service(io.fabric8.kubernetes.api.model.Service s, String namespace, Origin origin)
      throws ManifestException {
    String name = s.getMetadata().getName();
    var spec = s.getSpec();
    String type = spec == null || spec.getType() == null ? "ClusterIP" : spec.getType();
    List<ServicePort> ports = new ArrayList<>();
    if (spec != null && spec.getPorts() != null) {
      for (io.fabric8.kubernetes.api.model.ServicePort p : spec.getPorts()) {
        if (p.getPort() == null || p.getPort() < 1 || p.getPort() > 65535) {
          throw new ManifestException(origin, "Service " + namespace + "/" + name + ": port " + p.getPort()
              + " is out of range 1-65535");
        }
        PortRef target = portRef(p.getTargetPort());
        Protocol protocol;
        try {
          protocol = Protocol.parse(p.getProtocol());
        } catch (IllegalArgumentException e) {
          throw new ManifestException(origin, "Service " + namespace + "/" + name + ": " + e.getMessage());
        }
        ports.add(new ServicePort(p.getName(), p.getPort(), target == null ? PortRef.of(p.getPort()) : target,
            protocol, p.getNodePort() == null ? 0 : p.getNodePort()));
      }
    }
    Map<String, String> selector = spec == null ? null : spec.getSelector();
    return new Service(namespace, name, type, selector == null || selector.isEmpty() ? null : selector, ports,
        spec == null ? null : spec.getExternalName(), origin);
  }

  static PortRef portRef(IntOrString v) {
    if (v == null) {
      return null;
    }
    if (v.getIntVal() != null) {
      return PortRef.of(v.getIntVal());
    }
    String s = v.getStrVal();
    if (s == null || s.isEmpty()) {
      return null;
    }
    return s.chars().allMatch(Character::isDigit) ? PortRef.of(Integer.parseInt(s)) : PortRef.named(s);
  }

  static IngressRoute ingress(io.fabric8.kubernetes.api.model.networking.v1.Ingress ing, String namespace,
      Origin origin) {
    List<IngressRoute.Backend> backends = new ArrayList<>();
    var spec = ing.getSpec();
    if (spec != null) {
      addBackend(backends, null, null, spec.getDefaultBackend());
      if (spec.getRules() != null) {
        for (IngressRule r : spec.getRules()) {
          if (r.getHttp() == null || r.getHttp().getPaths() == null) {
            continue;
          }
          for (HTTPIngressPath p : r.getHttp().getPaths()) {
            addBackend(backends, r.getHost(), p.getPath(), p.getBackend());
          }
        }
      }
    }
    return new IngressRoute("Ingress", namespace, ing.getMetadata().getName(), backends, origin);
  }

  private static void addBackend(List<IngressRoute.Backend> out, String host, String path, IngressBackend b) {
    if (b == null || b.getService() == null || b.getService().getName() == null) {
      return;
    }
    var port = b.getService().getPort();
    PortRef ref = null;
    if (port != null) {
      if (port.getNumber() != null && port.getNumber() > 0) {
        ref = PortRef.of(port.getNumber());
      } else if (port.getName() != null && !port.getName().isEmpty()) {
        ref = PortRef.named(port.getName());
      }
    }
    out.add(new IngressRoute.Backend(host, path, b.getService().getName(), ref));
  }

  /** An OpenShift Route (route.openshift.io/v1), which has no fabric8 model in our class path. */
  static IngressRoute route(Map<String, Object> doc, String namespace, Origin origin) {
    Map<String, Object> spec = Fields.map(doc, "spec");
    String host = Fields.str(spec, "host");
    String path = Fields.str(spec, "path");
    PortRef port = null;
    Map<String, Object> portSpec = Fields.map(spec, "port");
    if (portSpec != null && portSpec.get("targetPort") != null) {
      Object t = portSpec.get("targetPort");
      port = t instanceof Number n ? PortRef.of(n.intValue())
          : String.valueOf(t).chars().allMatch(Character::isDigit) ? PortRef.of(Integer.parseInt(String.valueOf(t)))
          : PortRef.named(String.valueOf(t));
    }
    List<IngressRoute.Backend> backends = new ArrayList<>();
    List<Object> targets = new ArrayList<>();
    if (Fields.map(spec, "to") != null) {
      targets.add(Fields.map(spec, "to"));
    }
    if (Fields.list(spec, "alternateBackends") != null) {
      targets.addAll(Fields.list(spec, "alternateBackends"));
    }
    for (Object t : targets) {
      String kind = Fields.str(t, "kind");
      String name = Fields.str(t, "name");
      if (name != null && (kind == null || "Service".equals(kind))) {
        backends.add(new IngressRoute.Backend(host, path, name, port));
      }
    }
    return new IngressRoute("Route", namespace, Fields.str(Fields.map(doc, "metadata"), "name"), backends, origin);
  }
}
