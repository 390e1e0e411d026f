package io.meshwarden.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** A namespace and its labels, always including the implicit {@code kubernetes.io/metadata.name}. */
public record Namespace(String name, Map<String, String> labels, Origin origin) {
  public static final String NAME_LABEL = "kubernetes.io/metadata.name";

  public Namespace {
    Objects.requireNonNull(name, "name");
    Map<String, String> withName = new HashMap<>(labels);
    withName.put(NAME_LABEL, name);
    labels = Map.copyOf(withName);
    Objects.requireNonNull(origin, "origin");
  }

  /** A namespace that objects refer to but that no manifest declares. */
  public static Namespace implicit(String name) {
    return new Namespace(name, Map.of(), Origin.UNKNOWN);
  }
}
