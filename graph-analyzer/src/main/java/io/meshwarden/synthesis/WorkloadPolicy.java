package io.meshwarden.synthesis;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one workload may receive and send. Selection reuses the workload's own pod labels and
 * service account; nothing is invented.
 *
 * @param workloadId {@code namespace/Kind/name}
 * @param podLabels the labels that select exactly this workload's pods in its namespace
 * @param ingress allowed inbound connections, sorted; empty means deny all inbound
 * @param egress allowed outbound connections, sorted; empty means deny all outbound
 */
public record WorkloadPolicy(String namespace, String workloadId, String workloadName, Map<String, String> podLabels,
    String serviceAccount, List<PortRule> ingress, List<PortRule> egress) {

  public WorkloadPolicy {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(workloadId, "workloadId");
    Objects.requireNonNull(workloadName, "workloadName");
    podLabels = Map.copyOf(podLabels);
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    ingress = List.copyOf(ingress);
    egress = List.copyOf(egress);
  }
}
