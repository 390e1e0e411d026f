package io.meshwarden.api;

import java.util.Map;
import java.util.Objects;

/** One sample for {@code /metrics}: a counter or gauge, optionally labelled. */
public record Metric(String name, String type, String help, Map<String, String> labels, double value) {
  public Metric {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(help, "help");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public static Metric counter(String name, String help, double value) {
    return new Metric(name, "counter", help, Map.of(), value);
  }

  public static Metric gauge(String name, String help, double value) {
    return new Metric(name, "gauge", help, Map.of(), value);
  }
}
