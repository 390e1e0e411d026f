package io.meshwarden.model;

import java.util.List;
import java.util.Objects;

/**
 * An entry point from outside the cluster to Services: a Kubernetes Ingress or an OpenShift Route,
 * reduced to the backends it forwards to.
 *
 * @param kind {@code Ingress} or {@code Route}
 */
public record IngressRoute(String kind, String namespace, String name, List<Backend> backends, Origin origin) {
  public IngressRoute {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    backends = List.copyOf(backends);
    Objects.requireNonNull(origin, "origin");
  }

  /**
   * One backend: a service and, optionally, the service port (by number or name). A null port
   * means every port of the service (a Route without {@code port}).
   */
  public record Backend(String host, String path, String service, PortRef port) {
    public Backend {
      Objects.requireNonNull(service, "service");
    }
  }
}
