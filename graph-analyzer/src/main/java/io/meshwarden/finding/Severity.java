package io.meshwarden.finding;

import java.util.Locale;

/** How urgent a finding is, lowest first. */
public enum Severity {
  INFO,
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  public static Severity parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown severity \"" + s + "\" (want info, low, medium, high or critical)");
    }
  }

  public boolean atLeast(Severity other) {
    return compareTo(other) >= 0;
  }

  public String lower() {
    return name().toLowerCase(Locale.ROOT);
  }
}
