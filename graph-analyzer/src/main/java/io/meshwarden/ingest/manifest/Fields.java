package io.meshwarden.ingest.manifest;

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

  static int line(Object node, int fallback) {
    return node instanceof Node n ? n.line() : fallback;
  }
}
