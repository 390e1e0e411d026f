package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Origin;
import java.util.List;
import java.util.Map;

/** Typed access to the plain maps of a parsed document, for kinds that have no fabric8 model. */
final class Fields {
  private Fields() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object parent, String key) {
    if (!(parent instanceof Map<?, ?> m)) {
      return null;
    }
    Object v = m.get(key);
    return v instanceof Map<?, ?> ? (Map<String, Object>) v : null;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object parent, String key) {
    if (!(parent instanceof Map<?, ?> m)) {
      return null;
    }
    Object v = m.get(key);
    return v instanceof List<?> ? (List<Object>) v : null;
  }

  static String str(Object parent, String key) {
    if (!(parent instanceof Map<?, ?> m)) {
      return null;
    }
    Object v = m.get(key);
    return v == null ? null : String.valueOf(v);
  }

  static boolean has(Object parent, String key) {
    return parent instanceof Map<?, ?> m && m.containsKey(key);
  }

  /**
   * Where {@code key} of {@code parent} was read: the key's own line when the parent came from a
   * document, else {@code fallback}; an error about a field points at that field.
   */
  static Origin at(Object parent, String key, Origin fallback) {
    return parent instanceof Node n && n.containsKey(key) ? new Origin(fallback.file(), n.lineOf(key)) : fallback;
  }

  /** Whether {@code v} is a whole number (YAML {@code 80} or {@code 80.0}, not {@code 80.5} nor {@code "80"}). */
  static boolean isInteger(Object v) {
    return v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue());
  }

  static int line(Object node, int fallback) {
    return node instanceof Node n ? n.line() : fallback;
  }
}
