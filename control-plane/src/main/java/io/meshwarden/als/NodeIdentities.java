package io.meshwarden.als;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.meshwarden.aggregate.NodeIdentity;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads who an Envoy node is from its Istio-style metadata and node id. */
final class NodeIdentities {
  private NodeIdentities() {}

  /**
   * Metadata {@code NAMESPACE}, {@code NAME}, {@code SERVICE_ACCOUNT}, {@code WORKLOAD_NAME},
   * {@code LABELS}; what metadata lacks is taken from an Istio node id
   * {@code sidecar~IP~POD.NS~NS.svc.cluster.local} (pod names may hold dots, namespaces cannot,
   * so the namespace is after the last one).
   */
  static NodeIdentity of(Node node) {
    Struct md = node.getMetadata();
    String namespace = text(md, "NAMESPACE");
    String pod = text(md, "NAME");
    String ip = null;
    String[] parts = node.getId().split("~", -1);
    if (parts.length == 4) {
      ip = parts[1].isEmpty() ? null : parts[1];
      int dot = parts[2].lastIndexOf('.');
      if (dot > 0 && dot < parts[2].length() - 1) {
        if (pod == null) {
          pod = parts[2].substring(0, dot);
        }
        if (namespace == null) {
          namespace = parts[2].substring(dot + 1);
        }
      }
    }
    Map<String, String> labels = new LinkedHashMap<>();
    Value l = md.getFieldsMap().get("LABELS");
    if (l != null && l.hasStructValue()) {
      l.getStructValue().getFieldsMap().forEach((k, v) -> {
        if (v.hasStringValue()) {
          labels.put(k, v.getStringValue());
        }
      });
    }
    return new NodeIdentity(node.getId(), namespace, pod, text(md, "SERVICE_ACCOUNT"), text(md, "WORKLOAD_NAME"),
        labels, ip);
  }

  private static String text(Struct s, String key) {
    Value v = s.getFieldsMap().get(key);
    return v != null && v.hasStringValue() && !v.getStringValue().isEmpty() ? v.getStringValue() : null;
  }
}
