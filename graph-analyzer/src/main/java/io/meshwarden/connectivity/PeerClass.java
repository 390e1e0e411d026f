package io.meshwarden.connectivity;

import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.NetworkRef;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Workloads that no policy can tell apart: same namespace, same pod labels, same named container
 * ports. Analysis runs once per class instead of once per workload.
 */
final class PeerClass {
  /** Marks a name whose first container port has no usable number. */
  private static final ConnectionSet UNRESOLVED = ConnectionSet.range(Protocol.TCP, 1, 0);

  final int index;
  final String namespace;
  final Map<String, String> namespaceLabels;
  final Map<String, String> labels;
  final List<Container> containers;
  final List<Workload> workloads = new ArrayList<>();
  /** Cached: evaluation names the destination for every pair in case a warning needs it. */
  private String displayName;
  /** Per protocol ordinal: named container ports as connection sets; see {@link #namedPort}. */
  private final Map<String, ConnectionSet>[] namedPorts;
  /** Set for the class of a representative peer, which selectors match by equality, not by labels. */
  final Peer.RepresentativePeer representative;

  PeerClass(int index, String namespace, Map<String, String> namespaceLabels, Map<String, String> labels,
      List<Container> containers) {
    this(index, namespace, namespaceLabels, labels, containers, null);
  }

  PeerClass(int index, String namespace, Map<String, String> namespaceLabels, Map<String, String> labels,
      List<Container> containers, Peer.RepresentativePeer representative) {
    this.representative = representative;
    this.index = index;
    this.namespace = namespace;
    this.namespaceLabels = namespaceLabels;
    this.labels = labels;
    this.containers = containers;
    Protocol[] protocols = Protocol.values();
    @SuppressWarnings("unchecked")
    Map<String, ConnectionSet>[] named = new Map[protocols.length];
    for (Protocol protocol : protocols) {
      Map<String, ConnectionSet> m = new java.util.HashMap<>();
      for (Container c : containers) {
        for (ContainerPort p : c.ports()) {
          // The first container port with the name and protocol decides, as a scan would find it;
          // a number that is no port (0 or less) leaves the name unresolved.
          if (p.name() != null && p.protocol() == protocol) {
            m.putIfAbsent(p.name(), p.port() > 0 ? ConnectionSet.port(protocol, p.port()) : UNRESOLVED);
          }
        }
      }
      named[protocol.ordinal()] = m.isEmpty() ? Map.of() : m;
    }
    this.namedPorts = named;
  }

  /**
   * The port a name resolves to on this class's pods with the protocol, as a connection set, or
   * null: resolved once per class, since every rule naming the port asks for every class it matches.
   */
  ConnectionSet namedPort(String portName, Protocol protocol) {
    ConnectionSet c = namedPorts[protocol.ordinal()].get(portName);
    return c == UNRESOLVED ? null : c;
  }

  /** Resolves a named port ignoring the protocol (AdminNetworkPolicy namedPort has none). */
  ContainerPort resolveAnyProtocol(String portName) {
    for (Container c : containers) {
      for (ContainerPort p : c.ports()) {
        if (portName.equals(p.name())) {
          return p;
        }
      }
    }
    return null;
  }

  /**
   * Whether the class's pods run in the host's network namespace: ClusterNetworkPolicy never
   * selects them, as subject or as peer.
   */
  boolean isHostNetwork() {
    return !workloads.isEmpty() && workloads.get(0).hostNetwork();
  }

  /** Whether the class's pods are VirtualMachines, which MultiNetworkPolicy selectors never match. */
  boolean isVirtualMachine() {
    return !workloads.isEmpty() && workloads.get(0).kind() == WorkloadKind.VirtualMachine;
  }

  /** The secondary-network attachment of this class's pods to the named network, or null. */
  NetworkRef attachment(String network) {
    if (workloads.isEmpty()) {
      return null;
    }
    for (NetworkRef r : workloads.get(0).secondaryNetworks()) {
      if (r.name().equals(network)) {
        return r;
      }
    }
    return null;
  }

  /**
   * The key that makes two workloads one class. VM-ness and secondary attachments are part of it
   * because MultiNetworkPolicies tell pods apart by them, host networking because
   * ClusterNetworkPolicies do.
   */
  static String key(Workload w) {
    StringBuilder sb = new StringBuilder(w.namespace()).append('\u0000');
    if (w.kind() == WorkloadKind.VirtualMachine) {
      sb.append("vm\u0000");
    }
    if (w.hostNetwork()) {
      sb.append("host\u0000");
    }
    for (NetworkRef r : w.secondaryNetworks()) {
      sb.append(r.namespace()).append('/').append(r.name()).append(r.ips()).append('\u0001');
    }
    sb.append('\u0000');
    w.podLabels().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> sb.append(e.getKey()).append('=').append(e.getValue()).append('\u0001'));
    sb.append('\u0000');
    for (Container c : w.containers()) {
      for (ContainerPort p : c.ports()) {
        if (p.name() != null) {
          sb.append(p.name()).append('/').append(p.protocol()).append('/').append(p.port()).append('\u0001');
        }
      }
    }
    return sb.toString();
  }

  /** How diagnostics name this class: its first workload, or its representative selector. */
  String displayName() {
    if (displayName == null) {
      displayName = representative != null ? representative.displayName()
          : workloads.isEmpty() ? namespace + "/*" : new Peer.WorkloadPeer(workloads.get(0)).displayName();
    }
    return displayName;
  }
}
