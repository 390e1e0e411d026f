package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.Namespace;
import io.meshwarden.model.PrimaryNetwork;
import io.meshwarden.model.UserDefinedNetwork;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Assigns namespaces to primary user-defined networks the way OVN-Kubernetes does: only Primary
 * (C)UDNs count, only namespaces that opted in with the primary-UDN label join, and a namespace
 * has at most one primary network. Networks are applied in input order, so the first of two
 * conflicting ones is the one already in place.
 */
final class PrimaryNetworks {
  /** The label a namespace must carry, at creation, to get a primary user-defined network. */
  static final String PRIMARY_UDN_LABEL = "k8s.ovn.org/primary-user-defined-network";

  private PrimaryNetworks() {}

  static Map<String, PrimaryNetwork> resolve(List<UserDefinedNetwork> networks, Map<String, Namespace> declared,
      Consumer<Diagnostic> warn) throws ManifestException {
    Map<String, PrimaryNetwork> out = new LinkedHashMap<>();
    for (UserDefinedNetwork n : networks) {
      if (!n.primary()) {
        warn.accept(Diagnostic.warning("network-ignored", n.origin(), n.kind() + " " + n.qualifiedName()
            + " is ignored: secondary (cluster) user-defined networks are not supported"));
        continue;
      }
      if (n.isClusterScoped()) {
        clusterScoped(n, declared, out, warn);
      } else {
        namespaced(n, declared, out, warn);
      }
    }
    return out;
  }

  private static void namespaced(UserDefinedNetwork n, Map<String, Namespace> declared,
      Map<String, PrimaryNetwork> out, Consumer<Diagnostic> warn) throws ManifestException {
    Namespace ns = declared.get(n.namespace());
    if (ns == null) {
      warn.accept(Diagnostic.warning("network-ignored", n.origin(), "UserDefinedNetwork " + n.qualifiedName()
          + " is ignored: namespace " + n.namespace() + " does not exist in the input resources"));
      return;
    }
    if (!ns.labels().containsKey(PRIMARY_UDN_LABEL)) {
      warn.accept(Diagnostic.warning("network-ignored", n.origin(), "UserDefinedNetwork " + n.qualifiedName()
          + " is ignored: namespace " + n.namespace() + " lacks the " + PRIMARY_UDN_LABEL + " label"));
      return;
    }
    assign(n, n.namespace(), new PrimaryNetwork(n.namespace(), false, n.qualifiedName()), out);
  }

  private static void clusterScoped(UserDefinedNetwork n, Map<String, Namespace> declared,
      Map<String, PrimaryNetwork> out, Consumer<Diagnostic> warn) throws ManifestException {
    if (n.namespaceSelector().isEmpty() && !out.isEmpty()) {
      throw new ManifestException(n.origin(), "ClusterUserDefinedNetwork " + n.name()
          + ": selects all namespaces while some of them already have a primary network");
    }
    PrimaryNetwork network = new PrimaryNetwork(n.name(), true, n.name());
    int joined = 0;
    for (Namespace ns : declared.values()) {
      if (!n.namespaceSelector().matches(ns.labels())) {
        continue;
      }
      PrimaryNetwork current = out.get(ns.name());
      if (current != null) {
        throw conflict(n, ns.name(), current);
      }
      if (!ns.labels().containsKey(PRIMARY_UDN_LABEL)) {
        warn.accept(Diagnostic.warning("network-namespace-not-added", n.origin(), "ClusterUserDefinedNetwork " + n.name()
            + ": namespace " + ns.name() + " is not added: it lacks the " + PRIMARY_UDN_LABEL + " label"));
        continue;
      }
      assign(n, ns.name(), network, out);
      joined++;
    }
    if (joined == 0) {
      warn.accept(Diagnostic.warning("network-ignored", n.origin(), "ClusterUserDefinedNetwork " + n.name()
          + " is ignored: it selects no namespace of the input resources"));
    }
  }

  private static void assign(UserDefinedNetwork n, String namespace, PrimaryNetwork network,
      Map<String, PrimaryNetwork> out) throws ManifestException {
    if ("default".equals(namespace) || namespace.startsWith("openshift-")) {
      // Such a namespace would lose the isolation its system pods rely on.
      throw new ManifestException(n.origin(), n.kind() + " " + n.qualifiedName() + ": assigns namespace " + namespace
          + " a primary network; user-defined networks must not be created in default or openshift-* namespaces,"
          + " which would lose their isolation");
    }
    PrimaryNetwork current = out.get(namespace);
    if (current != null) {
      throw conflict(n, namespace, current);
    }
    out.put(namespace, network);
  }

  private static ManifestException conflict(UserDefinedNetwork n, String namespace, PrimaryNetwork current) {
    return new ManifestException(n.origin(), n.kind() + " " + n.qualifiedName() + ": namespace " + namespace
        + " already has primary network " + current.resource()
        + "; a namespace can have only one primary (Cluster)UserDefinedNetwork");
  }
}
