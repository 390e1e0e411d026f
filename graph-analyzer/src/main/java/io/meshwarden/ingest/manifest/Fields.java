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

  /**
   * The port number at {@code key} of {@code m}: a whole number from 1 to 65535, or an error naming the
   * field's own line, {@code where} and what was found.
   */
  static int port(Map<String, Object> m, String key, Origin origin, String where) throws ManifestException {
    Object v = m.get(key);
    if (!isInteger(v)) {
      throw new ManifestException(at(m, key, origin), where + ": " + key
          + ": expected a port number in 1-65535, got " + TypedObjects.found(v));
    }
    long n = ((Number) v).longValue();
    if (n < 1 || n > 65535) {
      throw new ManifestException(at(m, key, origin), where + ": " + key + " must be a port number in 1-65535, got "
          + n);
    }
    return (int) n;
  }

  static int line(Object node, int fallback) {
    return node instanceof Node n ? n.line() : fallback;
  }
}
