package io.meshwarden.authz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Plain-data access to a policy spec. */
final class Values {
  private Values() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : null;
  }

  /** A list of strings, or null when the field is absent. */
  static List<String> strings(Map<String, Object> m, String key) {
    if (m == null || !m.containsKey(key)) {
      return null;
    }
    List<Object> l = list(m.get(key));
    List<String> out = new ArrayList<>();
    if (l != null) {
      l.forEach(x -> out.add(String.valueOf(x)));
    }
    return out;
  }
}
