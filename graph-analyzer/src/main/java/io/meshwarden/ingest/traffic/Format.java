package io.meshwarden.ingest.traffic;

import java.util.Locale;

/** The flow record formats {@link FlowReader} understands; {@link #AUTO} decides per file. */
public enum Format {
  /** Look at the first non-blank line of each file. */
  AUTO,
  /** Envoy / istio-proxy access log with a JSON format, one object per line. */
  ENVOY_JSON,
  /** Envoy / istio-proxy access log in the default text format ({@code [time] "GET / HTTP/1.1" 200 ...}). */
  ENVOY_TEXT,
  /** {@code hubble observe -o json}: one flow per line, wrapped in {@code {"flow":...}} or bare. */
  HUBBLE_JSON;

  /** Parses a command-line name such as {@code envoy-json} or {@code hubble}. */
  public static Format parse(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
    return switch (n) {
      case "auto" -> AUTO;
      case "envoy-json", "envoy" -> ENVOY_JSON;
      case "envoy-text", "istio-text", "text" -> ENVOY_TEXT;
      case "hubble", "hubble-json" -> HUBBLE_JSON;
      default -> throw new IllegalArgumentException(
          "unknown flow format \"" + name + "\" (want auto, envoy-json, envoy-text or hubble)");
    };
  }
}
