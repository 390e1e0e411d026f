package io.meshwarden.synthesis;

import java.util.Comparator;
import java.util.List;

/**
 * Least-privilege policy intent: one {@link WorkloadPolicy} per destination workload, sorted by
 * workload id. Translators (Envoy RBAC, NetworkPolicy, AuthorizationPolicy) turn it into config;
 * it carries no format of its own.
 *
 * @param trustDomain the SPIFFE trust domain principals are written in (Istio's default: cluster.local)
 */
public record PolicySet(String trustDomain, List<WorkloadPolicy> policies) {
  public PolicySet {
    policies = policies.stream().sorted(Comparator.comparing(WorkloadPolicy::workloadId)).toList();
  }

  /** The policy of one workload, if the set has one. */
  public java.util.Optional<WorkloadPolicy> forWorkload(String workloadId) {
    return policies.stream().filter(p -> p.workloadId().equals(workloadId)).findFirst();
  }
}
