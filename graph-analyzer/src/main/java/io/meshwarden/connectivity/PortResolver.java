package io.meshwarden.connectivity;

import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.PolicyPort;
import io.meshwarden.model.Protocol;
import java.util.List;
import java.util.function.Consumer;

/** Turns a rule's port clauses into a {@link ConnectionSet} for a given destination. */
final class PortResolver {
  private PortResolver() {}

  /** The rule's connections when they do not depend on the destination, else null. */
  static ConnectionSet fixed(List<PolicyPort> ports) {
    if (ports.isEmpty()) {
      return ConnectionSet.ALL;
    }
    ConnectionSet out = ConnectionSet.NONE;
    for (PolicyPort p : ports) {
      if (p.port() != null && p.port().isNamed()) {
        return null;
      }
      out = out.union(numeric(p));
    }
    return out;
  }

  private static ConnectionSet numeric(PolicyPort p) {
    if (p.port() == null) {
      return ConnectionSet.allOf(p.protocol());
    }
    int lo = p.port().number();
    return ConnectionSet.range(p.protocol(), lo, p.endPort() > 0 ? p.endPort() : lo);
  }

  /**
   * Resolves named ports against the destination class ({@code null} for an IP destination, where
   * names cannot resolve). AdminNetworkPolicy names carry no protocol and take the container's.
   * With {@code keepNames} (the destination is a representative or the entire cluster, whose
   * containers are unknown) names stay symbolic.
   */
  static ConnectionSet resolve(PolicyIndex.Rule rule, PeerClass dst, boolean adminPolicy, boolean keepNames,
      String dstName, Consumer<Diagnostic> warn) {
    if (rule.fixedPorts != null) {
      return rule.fixedPorts;
    }
    ConnectionSet out = ConnectionSet.NONE;
    for (PolicyPort p : rule.ports) {
      if (p.port() == null || !p.port().isNamed()) {
        out = out.union(numeric(p));
        continue;
      }
      String name = p.port().name();
      if (keepNames) {
        out = out.union(adminPolicy ? ConnectionSet.namedAnyProtocol(name) : ConnectionSet.named(p.protocol(), name));
        continue;
      }
      if (dst == null) {
        warn.accept(Diagnostic.warning("named-port-on-ip", rule.policy + ": named port \"" + name
            + "\" is not defined for IP addresses; skipped"));
        continue;
      }
      if (adminPolicy) {
        ContainerPort cp = dst.resolveAnyProtocol(name);
        if (cp != null) {
          out = out.union(ConnectionSet.port(cp.protocol(), cp.port()));
          continue;
        }
      } else {
        ConnectionSet port = dst.namedPort(name, p.protocol());
        if (port != null) {
          out = out.union(port);
          continue;
        }
      }
      warn.accept(Diagnostic.warning("named-port-unresolved", rule.policy + ": port name: \"" + name
          + "\" has no match in the configuration of the destination peer \"" + dstName + "\""));
    }
    return out;
  }

  /**
   * Resolves the names of an entire-cluster ingress exposure against the exposed pod's own
   * containers, as np-guard does: a name keeps its rule's protocol (a protocol-less one takes the
   * container's), and a name the pod does not define stays a name. Once any protocol-less name
   * resolves, np-guard drops the protocol-less ones that did not.
   */
  static ConnectionSet resolveOwnNames(ConnectionSet c, PeerClass pod) {
    if (!c.hasNames()) {
      return c;
    }
    ConnectionSet out = c.withoutNames();
    for (Protocol protocol : Protocol.values()) {
      for (String name : c.names(protocol)) {
        ContainerPort cp = pod.resolveAnyProtocol(name);
        out = out.union(cp != null ? ConnectionSet.port(protocol, cp.port()) : ConnectionSet.named(protocol, name));
      }
    }
    ConnectionSet unresolved = ConnectionSet.NONE;
    boolean anyResolved = false;
    for (String name : c.namesAnyProtocol()) {
      ContainerPort cp = pod.resolveAnyProtocol(name);
      if (cp != null) {
        out = out.union(ConnectionSet.port(cp.protocol(), cp.port()));
        anyResolved = true;
      } else {
        unresolved = unresolved.union(ConnectionSet.namedAnyProtocol(name));
      }
    }
    return anyResolved ? out : out.union(unresolved);
  }
}
