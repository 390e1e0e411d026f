package io.meshwarden.model;

import java.util.List;
import java.util.Objects;

/**
 * The parts of a container that matter to policy: its image, declared ports, and the ports its
 * liveness, readiness and startup probes use (the kubelet must keep reaching those).
 */
public record Container(String name, String image, List<ContainerPort> ports, List<Integer> probePorts) {
  public Container {
    Objects.requireNonNull(name, "name");
    ports = List.copyOf(ports);
    probePorts = List.copyOf(probePorts);
  }

  public Container(String name, String image, List<ContainerPort> ports) {
    this(name, image, ports, List.of());
  }
}
