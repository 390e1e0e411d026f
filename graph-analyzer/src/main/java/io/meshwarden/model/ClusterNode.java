package io.meshwarden.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Node, as far as policy needs it: its labels (ClusterNetworkPolicy {@code nodes} peers select
 * them) and the addresses of its {@code status.addresses}, which such a peer stands for.
 */
public record ClusterNode(String name, Map<String, String> labels, List<String> addresses, Origin origin) {
  public ClusterNode {
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(origin, "origin");
  }
}
