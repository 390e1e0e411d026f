package io.meshwarden.model;

import java.util.Objects;

/**
 * An OVN-Kubernetes k8s.ovn.org/v1 UserDefinedNetwork (namespaced) or ClusterUserDefinedNetwork
 * (cluster-scoped, {@code namespace} null), after validation of its topology and role.
 *
 * @param namespaceSelector the namespaces a ClusterUserDefinedNetwork spans; null for a UserDefinedNetwork
 * @param primary whether its role is Primary (pods' default interface) rather than Secondary
 */
public record UserDefinedNetwork(
    String namespace, String name, LabelSelector namespaceSelector, Topology topology, boolean primary, Origin origin) {

  public UserDefinedNetwork {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(origin, "origin");
    if ((namespace == null) != (namespaceSelector != null)) {
      throw new IllegalArgumentException("a cluster-scoped network has a namespace selector and no namespace");
    }
  }

  /** The network's layer. */
  public enum Topology {
    Layer2,
    Layer3
  }

  public boolean isClusterScoped() {
    return namespace == null;
  }

  /** {@code UserDefinedNetwork} or {@code ClusterUserDefinedNetwork}. */
  public String kind() {
    return isClusterScoped() ? "ClusterUserDefinedNetwork" : "UserDefinedNetwork";
  }

  /** {@code namespace/name}, or the bare name of a cluster-scoped network. */
  public String qualifiedName() {
    return isClusterScoped() ? name : namespace + "/" + name;
  }
}
