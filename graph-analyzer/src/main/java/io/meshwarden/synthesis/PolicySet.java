package io.meshwarden.synthesis;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Least-privilege policy intent: one {@link WorkloadPolicy} per destination workload with evidence,
 * sorted by workload id, and the {@link Evidence} it was learned from. Translators (Envoy RBAC,
 * NetworkPolicy, AuthorizationPolicy) turn it into config; it carries no format of its own.
 *
 * @param trustDomain the SPIFFE trust domain principals are written in (Istio's default: cluster.local)
 */
public record PolicySet(String trustDomain, List<WorkloadPolicy> policies, Evidence evidence) {
  public PolicySet {
    policies = policies.stream().sorted(Comparator.comparing(WorkloadPolicy::workloadId)).toList();
    Objects.requireNonNull(evidence, "evidence");
  }

  /** A set written rather than learned: no evidence to carry. */
  public PolicySet(String trustDomain, List<WorkloadPolicy> policies) {
    this(trustDomain, policies, Evidence.NONE);
  }

  /** The policy of one workload, if the set has one. */
  public java.util.Optional<WorkloadPolicy> forWorkload(String workloadId) {
    return policies.stream().filter(p -> p.workloadId().equals(workloadId)).findFirst();
  }
}
