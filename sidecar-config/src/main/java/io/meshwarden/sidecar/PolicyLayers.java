package io.meshwarden.sidecar;

import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.Objects;

/**
 * What one workload's sidecar enforces ({@code rules}) and what it only counts ({@code shadow}),
 * by mode. Built only through the factories, so a layer is present exactly when its mode has it.
 *
 * @param rules the approved policy, enforced; null unless ENFORCE
 * @param shadow the newest proposal, counted but never enforced; null in OBSERVE
 */
public record PolicyLayers(ServingMode mode, WorkloadPolicy rules, WorkloadPolicy shadow) {

  public PolicyLayers {
    Objects.requireNonNull(mode, "mode");
    if ((rules != null) != (mode == ServingMode.ENFORCE)) {
      throw new IllegalArgumentException("enforced rules exist exactly in ENFORCE, not in " + mode);
    }
    if ((shadow == null) != (mode == ServingMode.OBSERVE)) {
      throw new IllegalArgumentException("shadow rules exist exactly outside OBSERVE, not in " + mode);
    }
  }

  public static PolicyLayers observe() {
    return new PolicyLayers(ServingMode.OBSERVE, null, null);
  }

  public static PolicyLayers dryRun(WorkloadPolicy proposal) {
    return new PolicyLayers(ServingMode.DRY_RUN, null, Objects.requireNonNull(proposal, "proposal"));
  }

  public static PolicyLayers enforce(WorkloadPolicy approved, WorkloadPolicy newest) {
    return new PolicyLayers(ServingMode.ENFORCE, Objects.requireNonNull(approved, "approved"),
        Objects.requireNonNull(newest, "newest"));
  }
}
