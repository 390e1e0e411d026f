package io.meshwarden.model;

import java.util.Map;
import java.util.Objects;

/**
 * A mesh or gateway object kept for later analysis stages (Istio AuthorizationPolicy and
 * PeerAuthentication, Gateway API objects): its identity, annotations and {@code spec} as plain data.
 */
public record MeshResource(String apiVersion, String kind, String namespace, String name,
    Map<String, String> annotations, Map<String, Object> spec, Origin origin) {
  public MeshResource {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    spec = spec == null ? Map.of() : java.util.Collections.unmodifiableMap(spec);
    Objects.requireNonNull(origin, "origin");
  }
}
