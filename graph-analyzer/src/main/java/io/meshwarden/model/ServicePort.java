package io.meshwarden.model;

import java.util.Objects;

/**
 * One port of a Service; {@code targetPort} is a number or a container port name, {@code nodePort}
 * is 0 when unset.
 */
public record ServicePort(String name, int port, PortRef targetPort, Protocol protocol, int nodePort) {
  public ServicePort {
    Objects.requireNonNull(targetPort, "targetPort");
    Objects.requireNonNull(protocol, "protocol");
  }
}
