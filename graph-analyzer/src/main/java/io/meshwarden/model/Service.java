package io.meshwarden.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Service. {@code selector} is null for services without one (ExternalName, manual endpoints).
 */
public record Service(
    String namespace,
    String name,
    String type,
    Map<String, String> selector,
    List<ServicePort> ports,
    String externalName,
    Origin origin) {

  public Service {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    selector = selector == null ? null : Map.copyOf(selector);
    ports = List.copyOf(ports);
    Objects.requireNonNull(origin, "origin");
  }

  /** Whether the service is reachable from outside the cluster by its type. */
  public boolean isExternallyExposed() {
    return "LoadBalancer".equals(type) || "NodePort".equals(type);
  }

  /** Whether the service selects the given workload's pods. */
  public boolean selects(Workload w) {
    if (selector == null || selector.isEmpty() || !namespace.equals(w.namespace())) {
      return false;
    }
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(w.podLabels().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
