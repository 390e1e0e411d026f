package io.meshwarden.index;

import java.util.Objects;
import java.util.Set;

/**
 * Names one Kubernetes object in the live index: its kind, namespace ({@code ""} for
 * cluster-scoped kinds) and name.
 */
public record ObjectKey(String kind, String namespace, String name) {
  /** Kinds that live outside namespaces. */
  static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy",
      "ClusterNetworkPolicy", "GatewayClass", "ClusterUserDefinedNetwork", "Node");

  public ObjectKey {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** The key of an object; the namespace is dropped for cluster-scoped kinds. */
  public static ObjectKey of(String kind, String namespace, String name) {
    return new ObjectKey(kind, CLUSTER_SCOPED.contains(kind) || namespace == null ? "" : namespace, name);
  }

  /** Whether the kind lives outside namespaces. */
  public boolean clusterScoped() {
    return namespace.isEmpty();
  }

  @Override
  public String toString() {
    return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }
}
