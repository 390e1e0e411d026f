package io.meshwarden.aggregate;

import java.util.Map;

/**
 * Who an ALS stream speaks for, from its first message's Envoy node: Istio node metadata
 * {@code NAMESPACE}, {@code NAME} (the pod, authoritative), {@code SERVICE_ACCOUNT}, the hint
 * {@code WORKLOAD_NAME} and {@code LABELS}, completed from an Istio node id
 * ({@code sidecar~IP~POD.NS~NS.svc.cluster.local}). Any field but {@code nodeId} may be null.
 */
public record NodeIdentity(String nodeId, String namespace, String podName, String serviceAccount,
    String workloadHint, Map<String, String> labels, String ip) {

  public NodeIdentity {
    nodeId = nodeId == null ? "" : nodeId;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** Text for logs and refusal reasons. */
  public String describe() {
    return namespace == null || podName == null ? "node \"" + nodeId + "\"" : "pod " + namespace + "/" + podName;
  }
}
