package io.meshwarden.model;

import java.util.Objects;

/**
 * A port clause of a policy rule. {@code port} null means every port of the protocol; a named port
 * is resolved per destination pod; {@code endPort} is 0 when unset.
 */
public record PolicyPort(Protocol protocol, PortRef port, int endPort) {
  public PolicyPort {
    Objects.requireNonNull(protocol, "protocol");
  }
}
