package io.meshwarden.xds;

import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Optional;

/**
 * Derives a node's {@link GroupKey} from its Istio-style metadata: {@code NAMESPACE}, {@code NAME}
 * (the pod, authoritative) and {@code SERVICE_ACCOUNT}; the pod's workload comes from the live index,
 * never from the node's own {@code WORKLOAD_NAME} hint (a sidecar must not pick another workload's
 * policy). The form follows the user agent: Envoy, or a gRPC library (proxyless).
 */
final class NodeGroups {
  private NodeGroups() {}

  /** The group, or why there is none (as a message for the refused stream). */
  sealed interface Resolution permits Resolved, Unresolved {}

  record Resolved(GroupKey key) implements Resolution {}

  record Unresolved(String reason) implements Resolution {}

  static Resolution resolve(Node node, WorkloadLookup lookup) {
    String ns = text(node, "NAMESPACE");
    String pod = text(node, "NAME");
    String sa = text(node, "SERVICE_ACCOUNT");
    if (ns == null || pod == null || sa == null) {
      return new Unresolved("node " + node.getId() + " lacks metadata NAMESPACE, NAME or SERVICE_ACCOUNT");
    }
    Optional<String> workload = lookup.workloadOfPod(ns, pod);
    if (workload.isEmpty()) {
      return new Unresolved("pod " + ns + "/" + pod + " is not known (yet); retry");
    }
    GroupKey.Form form = node.getUserAgentName().toLowerCase(java.util.Locale.ROOT).contains("envoy")
        ? GroupKey.Form.ENVOY : GroupKey.Form.GRPC;
    return new Resolved(new GroupKey(ns, workload.get(), sa, form));
  }

  private static String text(Node node, String key) {
    Value v = node.getMetadata().getFieldsMap().get(key);
    return v != null && v.hasStringValue() && !v.getStringValue().isEmpty() ? v.getStringValue() : null;
  }
}
