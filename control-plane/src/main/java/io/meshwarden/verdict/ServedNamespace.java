package io.meshwarden.verdict;

import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.ServingMode;
import java.util.Map;
import java.util.Objects;

/**
 * What the control plane serves to one namespace's sidecars right now: the mode, the proposal
 * version in its shadow rules, the approved version in its enforced rules (null unless enforcing),
 * and the resources per workload id ({@code ns/Kind/name}, {@code Workload.id()}) exactly as pushed
 * (empty in observe: nothing is checked there), so the live dry-run
 * judges traffic by the same rules the sidecars hold.
 */
public record ServedNamespace(String namespace, ServingMode mode, String proposalVersion, String approvedVersion,
    Map<String, ServedResources> byWorkload) {

  public ServedNamespace {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(mode, "mode");
    byWorkload = Map.copyOf(byWorkload);
  }
}
