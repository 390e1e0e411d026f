package io.meshwarden.sidecar;

/** How generated RBAC acts: enforcing {@code rules}, or the same policy as {@code shadow_rules} only. */
public enum Mode {
  /** Requests the policy does not allow are denied. */
  ENFORCE,
  /** Nothing is denied; Envoy counts what would have been (shadow rules and their stat prefix). */
  DRY_RUN
}
