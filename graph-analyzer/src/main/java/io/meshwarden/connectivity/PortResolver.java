package io.meshwarden.connectivity;

import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.PolicyPort;
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
   */
  static ConnectionSet resolve(PolicyIndex.Rule rule, PeerClass dst, boolean adminPolicy, String dstName,
      Consumer<String> warn) {
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
      if (dst == null) {
        warn.accept(rule.policy + ": named port \"" + name + "\" is not defined for IP addresses; skipped");
        continue;
      }
      if (adminPolicy) {
        ContainerPort cp = dst.resolveAnyProtocol(name);
        if (cp != null) {
          out = out.union(ConnectionSet.port(cp.protocol(), cp.port()));
          continue;
        }
      } else {
        int number = dst.resolve(name, p.protocol());
        if (number > 0) {
          out = out.union(ConnectionSet.port(p.protocol(), number));
          continue;
        }
      }
      warn.accept(rule.policy + ": port name: \"" + name + "\" has no match in the configuration of the destination"
          + " peer \"" + dstName + "\"");
    }
    return out;
  }
}
