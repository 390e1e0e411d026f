package io.meshwarden.model;

import java.util.List;
import java.util.Objects;

/**
 * A k8s.cni.cncf.io/v1beta1 MultiNetworkPolicy: a NetworkPolicy (same selectors, rules and
 * policy types) that applies on the secondary networks its {@code k8s.v1.cni.cncf.io/policy-for}
 * annotation names instead of on the pod network.
 */
public record MultiNetworkPolicy(NetworkPolicy policy, List<NetworkRef> policyFor) {
  public MultiNetworkPolicy {
    Objects.requireNonNull(policy, "policy");
    policyFor = List.copyOf(policyFor);
  }

  public String namespace() {
    return policy.namespace();
  }

  public String qualifiedName() {
    return policy.qualifiedName();
  }
}
