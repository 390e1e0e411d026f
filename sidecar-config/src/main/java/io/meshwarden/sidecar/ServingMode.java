package io.meshwarden.sidecar;

import java.util.Locale;
import java.util.Optional;

/**
 * How a namespace's sidecars are configured while meshwarden serves them: the path to enforcement
 * is observe, then dry-run, then enforce.
 */
public enum ServingMode {
  /** Pass-through: nothing is checked, every connection is logged to the ALS sink. */
  OBSERVE("observe"),
  /** The proposal as {@code shadow_rules} only: nothing is denied, would-denials are counted and logged. */
  DRY_RUN("dry-run"),
  /** The approved version as {@code rules}, the newest proposal as {@code shadow_rules}. */
  ENFORCE("enforce");

  private final String label;

  ServingMode(String label) {
    this.label = label;
  }

  /** The spelling users write (label {@code meshwarden.io/mode}, API). */
  public String label() {
    return label;
  }

  /** The mode a user spelled, if it is one. */
  public static Optional<ServingMode> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (ServingMode m : values()) {
      if (m.label.equals(t)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
