package io.meshwarden.model;

import java.util.Objects;

/**
 * The primary network a namespace's pods are on when it is not the cluster's pod network: the
 * namespace's UserDefinedNetwork (named after the namespace) or a ClusterUserDefinedNetwork that
 * spans it (named after the CUDN). Pods in different primary networks cannot reach each other on
 * their default interface.
 *
 * @param resource the object that made it: {@code namespace/name} of a UDN, the name of a CUDN
 */
public record PrimaryNetwork(String name, boolean clusterScoped, String resource) {
  public PrimaryNetwork {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(resource, "resource");
  }
}
