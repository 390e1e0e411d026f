package io.meshwarden.graph;

import io.meshwarden.model.Workload;
import java.util.Objects;

/**
 * A vertex of the communication graph: a workload, an external peer, the internet, or the
 * ingress controller. Identity is the {@code id}; {@code workload} is set for workloads only.
 */
public record GraphNode(String id, Type type, String namespace, String label, Workload workload) {
  public GraphNode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(label, "label");
  }

  /** Kinds of vertices. */
  public enum Type {
    WORKLOAD,
    EXTERNAL,
    INTERNET,
    INGRESS_CONTROLLER
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GraphNode n && n.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }
}
