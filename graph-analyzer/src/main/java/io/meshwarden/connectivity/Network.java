package io.meshwarden.connectivity;

import java.util.Objects;

/**
 * A network that connections run on: the cluster's pod network, a primary (Cluster)
 * UserDefinedNetwork, or a secondary network of NetworkAttachmentDefinitions. The same pair of
 * workloads can be connected on several networks, each under its own policies.
 *
 * @param name {@code pod-network}; the namespace of a UDN; the name of a CUDN or NAD
 */
public record Network(Kind kind, String name) implements Comparable<Network> {
  public static final Network POD = new Network(Kind.POD_NETWORK, "pod-network");

  public Network {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  /** The kinds of network, in the order reports list them. */
  public enum Kind {
    POD_NETWORK,
    PRIMARY_UDN,
    PRIMARY_CUDN,
    SECONDARY_NAD
  }

  /** How the workload-to-networks mapping names it: {@code pod-network}, {@code blue[UDN]}, {@code net[CUDN]}, {@code nad[NAD]}. */
  public String label() {
    return switch (kind) {
      case POD_NETWORK -> name;
      case PRIMARY_UDN -> name + "[UDN]";
      case PRIMARY_CUDN -> name + "[CUDN]";
      case SECONDARY_NAD -> name + "[NAD]";
    };
  }

  @Override
  public int compareTo(Network o) {
    int c = kind.compareTo(o.kind);
    return c != 0 ? c : name.compareTo(o.name);
  }
}
