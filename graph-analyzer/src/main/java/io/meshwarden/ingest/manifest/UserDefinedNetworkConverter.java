package io.meshwarden.ingest.manifest;

import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.Origin;
import io.meshwarden.model.UserDefinedNetwork.Topology;
import io.meshwarden.model.UserDefinedNetwork;
import java.util.Map;

/**
 * UserDefinedNetwork and ClusterUserDefinedNetwork (k8s.ovn.org/v1) from plain maps, with the
 * CRD's rules on topology, layer configuration and role.
 */
final class UserDefinedNetworkConverter {
  private UserDefinedNetworkConverter() {}

  static UserDefinedNetwork namespaced(Map<String, Object> doc, String namespace, String name, Origin origin)
      throws ManifestException {
    String where = "UserDefinedNetwork " + namespace + "/" + name;
    if ("default".equals(name)) {
      // OVN-Kubernetes reserves the name for the cluster's own pod network.
      throw new ManifestException(origin, where + ": a UserDefinedNetwork must not be named default");
    }
    Map<String, Object> spec = Fields.map(doc, "spec");
    return build(spec, namespace, name, null, origin, where);
  }

  static UserDefinedNetwork clusterScoped(Map<String, Object> doc, String name, Origin origin)
      throws ManifestException {
    String where = "ClusterUserDefinedNetwork " + name;
    Map<String, Object> spec = Fields.map(doc, "spec");
    LabelSelector selector = Selectors.convert(Fields.map(spec, "namespaceSelector"), origin,
        where + " namespaceSelector");
    return build(Fields.map(spec, "network"), null, name, selector == null ? LabelSelector.EVERYTHING : selector,
        origin, where);
  }

  private static UserDefinedNetwork build(Map<String, Object> network, String namespace, String name,
      LabelSelector selector, Origin origin, String where) throws ManifestException {
    String topologyText = Fields.str(network, "topology");
    Topology topology;
    if ("Layer2".equals(topologyText)) {
      topology = Topology.Layer2;
    } else if ("Layer3".equals(topologyText)) {
      topology = Topology.Layer3;
    } else {
      throw new ManifestException(origin, where + ": invalid value \"" + (topologyText == null ? "" : topologyText)
          + "\" for topology (want Layer2 or Layer3)");
    }
    // A null field counts as absent, as it does for the API server.
    Object layer2 = network.get("layer2");
    Object layer3 = network.get("layer3");
    if ((topology == Topology.Layer2 && layer3 != null) || (topology == Topology.Layer3 && layer2 != null)) {
      throw new ManifestException(origin, where + ": topology " + topology + " does not match the layer configuration"
          + " (" + (topology == Topology.Layer2 ? "layer3" : "layer2") + " is set)");
    }
    boolean primary = false;
    for (Object layer : new Object[] {layer2, layer3}) {
      if (layer == null) {
        continue;
      }
      String role = Fields.str(layer, "role");
      if (!"Primary".equals(role) && !"Secondary".equals(role)) {
        throw new ManifestException(origin, where + ": invalid value \"" + (role == null ? "" : role)
            + "\" for role (want Primary or Secondary)");
      }
      primary |= "Primary".equals(role);
    }
    return new UserDefinedNetwork(namespace, name, selector, topology, primary, origin);
  }
}
