package io.meshwarden.synthesis;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one workload may receive and send. Selection reuses the workload's own pod labels and
 * service account; nothing is invented. Each direction is restricted only as far as its
 * {@link Scope} says: ports and directions outside it stay open.
 *
 * @param workloadId {@code namespace/Kind/name}
 * @param podLabels the labels that select exactly this workload's pods in its namespace
 * @param ingress allowed inbound connections, sorted; on the ports {@code ingressScope} restricts, nothing else is allowed
 * @param egress allowed outbound connections, sorted; on the ports {@code egressScope} restricts, nothing else is allowed
 * @param ingressScope how far ingress is restricted, and by which source's evidence
 * @param egressScope how far egress is restricted, and by which source's evidence
 * @param flowsIn observed flows into the workload in the window
 * @param flowsOut observed flows out of the workload in the window
 */
public record WorkloadPolicy(String namespace, String workloadId, String workloadName, Map<String, String> podLabels,
    String serviceAccount, List<PortRule> ingress, List<PortRule> egress, Scope ingressScope, Scope egressScope,
    long flowsIn, long flowsOut) {

  public WorkloadPolicy {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(workloadId, "workloadId");
    Objects.requireNonNull(workloadName, "workloadName");
    podLabels = Map.copyOf(podLabels);
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    ingress = List.copyOf(ingress);
    egress = List.copyOf(egress);
    Objects.requireNonNull(ingressScope, "ingressScope");
    Objects.requireNonNull(egressScope, "egressScope");
  }

  /** Intent written rather than learned: both directions restricted on every port. */
  public WorkloadPolicy(String namespace, String workloadId, String workloadName, Map<String, String> podLabels,
      String serviceAccount, List<PortRule> ingress, List<PortRule> egress) {
    this(namespace, workloadId, workloadName, podLabels, serviceAccount, ingress, egress,
        Scope.all("written, not learned"), Scope.all("written, not learned"), 0, 0);
  }
}
