package io.meshwarden.ingest.manifest;

import io.meshwarden.model.ClusterNode;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Origin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Node's labels and the IP addresses (either family) of its {@code status.addresses} (host names are left out). */
final class NodeConverter {
  private NodeConverter() {}

  static ClusterNode convert(Map<String, Object> doc, String name, Origin origin) {
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, Object> raw = Fields.map(Fields.map(doc, "metadata"), "labels");
    if (raw != null) {
      raw.forEach((k, v) -> labels.put(k, v == null ? "" : String.valueOf(v)));
    }
    List<String> addresses = new ArrayList<>();
    List<Object> status = Fields.list(Fields.map(doc, "status"), "addresses");
    if (status != null) {
      for (Object a : status) {
        String address = Fields.str(a, "address");
        if (address != null && isAddress(address) && !addresses.contains(address)) {
          addresses.add(address);
        }
      }
    }
    return new ClusterNode(name, labels, addresses, origin);
  }

  /** The same from an informer's Node. */
  static ClusterNode convert(io.fabric8.kubernetes.api.model.Node node, String name, Origin origin) {
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    List<String> addresses = new ArrayList<>();
    if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
      for (io.fabric8.kubernetes.api.model.NodeAddress a : node.getStatus().getAddresses()) {
        if (a.getAddress() != null && isAddress(a.getAddress()) && !addresses.contains(a.getAddress())) {
          addresses.add(a.getAddress());
        }
      }
    }
    return new ClusterNode(name, labels, addresses, origin);
  }

  private static boolean isAddress(String text) {
    try {
      IpRange.parseAddress(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
