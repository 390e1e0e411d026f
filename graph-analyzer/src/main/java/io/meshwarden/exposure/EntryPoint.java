package io.meshwarden.exposure;

import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import java.util.Objects;

/**
 * A way into a workload from outside the cluster that the manifests themselves declare, whatever
 * policy says: a LoadBalancer or NodePort Service, an Ingress or Route backend, a hostPort, or
 * hostNetwork (where NetworkPolicy does not apply at all).
 *
 * @param via the object that opens the path, e.g. {@code Service default/frontend-external}
 * @param detail ports and hosts, e.g. {@code port 80 -> 8080/TCP, nodePort 30080}
 * @param origin where {@code via} is declared
 */
public record EntryPoint(Workload workload, Kind kind, String via, String detail, Origin origin) {
  public EntryPoint {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(origin, "origin");
  }

  /** How the path is opened. */
  public enum Kind {
    LoadBalancer,
    NodePort,
    Ingress,
    Route,
    HostPort,
    HostNetwork
  }
}
