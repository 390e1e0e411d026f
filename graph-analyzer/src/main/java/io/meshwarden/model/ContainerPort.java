package io.meshwarden.model;

import java.util.Objects;

/** A port a container declares; {@code name} may be null, {@code hostPort} is 0 when unset. */
public record ContainerPort(String name, int port, Protocol protocol, int hostPort) {
  public ContainerPort {
    Objects.requireNonNull(protocol, "protocol");
  }
}
