package io.meshwarden.model;

import java.util.List;
import java.util.Objects;

/** The parts of a container that matter to policy: its image and declared ports. */
public record Container(String name, String image, List<ContainerPort> ports) {
  public Container {
    Objects.requireNonNull(name, "name");
    ports = List.copyOf(ports);
  }
}
