package io.meshwarden.model;

import java.util.Locale;

/** The L4 protocols a NetworkPolicy can name, in the order reports list them. */
public enum Protocol {
  SCTP,
  TCP,
  UDP;

  /** Parses a Kubernetes protocol name; absent means TCP, as in the API defaults. */
  public static Protocol parse(String value) {
    if (value == null || value.isEmpty()) {
      return TCP;
    }
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unsupported protocol \"" + value + "\" (want TCP, UDP or SCTP)");
    }
  }
}
