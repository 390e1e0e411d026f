package io.meshwarden.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A controller that owns pods (or a bare pod): the unit that policy selects and that reports name.
 *
 * @param podLabels the labels its pods carry, which is what selectors see
 * @param serviceAccount the service account its pods run as ({@code default} when unset)
 * @param podIps pod IPs known from the manifests (pod status), used to resolve observed flows
 * @param secondaryNetworks the secondary networks its pods ask to be attached to (at most one per
 *     network name), empty unless multi-network analysis read them
 */
public record Workload(
    String namespace,
    WorkloadKind kind,
    String name,
    Map<String, String> podLabels,
    List<Container> containers,
    String serviceAccount,
    boolean hostNetwork,
    int replicas,
    List<String> podIps,
    Origin origin,
    List<NetworkRef> secondaryNetworks) {

  public Workload {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    podLabels = Map.copyOf(podLabels);
    containers = List.copyOf(containers);
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    podIps = List.copyOf(podIps);
    Objects.requireNonNull(origin, "origin");
    secondaryNetworks = secondaryNetworks == null ? List.of() : List.copyOf(secondaryNetworks);
  }

  /** A workload on the pod network only. */
  public Workload(String namespace, WorkloadKind kind, String name, Map<String, String> podLabels,
      List<Container> containers, String serviceAccount, boolean hostNetwork, int replicas, List<String> podIps,
      Origin origin) {
    this(namespace, kind, name, podLabels, containers, serviceAccount, hostNetwork, replicas, podIps, origin, List.of());
  }

  /** The stable id {@code namespace/kind/name}. */
  public String id() {
    return namespace + "/" + kind + "/" + name;
  }

  /** The SPIFFE identity of the workload's service account under the given trust domain. */
  public String spiffeId(String trustDomain) {
    return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
  }

  /** Resolves a named port against this workload's containers, or -1 if none declares it. */
  public int resolveNamedPort(String portName, Protocol protocol) {
    for (Container c : containers) {
      for (ContainerPort p : c.ports()) {
        if (portName.equals(p.name()) && p.protocol() == protocol) {
          return p.port();
        }
      }
    }
    return -1;
  }

  /** Whether any container binds a port on the node. */
  public boolean usesHostPort() {
    return containers.stream().flatMap(c -> c.ports().stream()).anyMatch(p -> p.hostPort() > 0);
  }
}
