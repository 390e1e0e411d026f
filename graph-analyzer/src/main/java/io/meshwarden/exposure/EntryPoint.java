package io.meshwarden.exposure;

import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import java.util.Objects;

/**
 * A way into a workload from outside the cluster: declared by the manifests whatever policy says
 * (a LoadBalancer or NodePort Service, an Ingress or Route backend, an Istio Gateway and the
 * destinations of VirtualServices bound to it, a Gateway API Gateway and its routes' backends, a
 * hostPort, or hostNetwork, where NetworkPolicy does not apply at all), or seen: the workload
 * received traffic from public addresses.
 *
 * @param via the object that opens the path, e.g. {@code Service default/frontend-external}
 * @param detail ports and hosts, e.g. {@code port 80 -> 8080/TCP, nodePort 30080}
 * @param origin where {@code via} is declared, or for observed traffic the flow record of a sample
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
    LoadBalancer("LoadBalancer"),
    NodePort("NodePort"),
    Ingress("Ingress"),
    Route("Route"),
    IstioGateway("Istio"),
    GatewayApi("Gateway API"),
    HostPort("hostPort"),
    HostNetwork("hostNetwork"),
    ObservedPublic("observed");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** How reports name the kind before {@code via}: {@code Istio Gateway ns/gw, VirtualService ns/vs}. */
    public String label() {
      return label;
    }

    /** Whether the manifests declare it (everything but observed traffic). */
    public boolean declared() {
      return this != ObservedPublic;
    }
  }
}
