package io.meshwarden.exposure;

import java.util.List;
import java.util.Map;

/** Plain-data access to the {@code spec} maps of mesh and gateway objects. */
final class Spec {
  private Spec() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }

  /** The field as text, or {@code fallback} when absent. */
  static String str(Map<String, Object> m, String key, String fallback) {
    Object v = m.get(key);
    return v == null ? fallback : String.valueOf(v);
  }

  /** A list of strings, empty when absent. */
  static List<String> strings(Map<String, Object> m, String key) {
    return list(m.get(key)).stream().map(String::valueOf).toList();
  }
}
