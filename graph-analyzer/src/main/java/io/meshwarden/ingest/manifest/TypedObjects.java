package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Origin;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds parsed documents to fabric8's model classes. A binding error becomes one a user can act
 * on: the field path, the field's own line, what was expected and what was found, in YAML's terms
 * rather than Java's.
 */
final class TypedObjects {
  private final JsonMapper mapper = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  <T> T bind(Map<String, Object> document, Class<T> type, Origin origin) throws ManifestException {
    try {
      return mapper.convertValue(document, type);
    } catch (RuntimeException e) {
      JacksonException j = jacksonCause(e);
      if (j == null || j.getPath().isEmpty()) {
        throw new ManifestException(origin, "cannot read this " + type.getSimpleName(), e);
      }
      StringBuilder path = new StringBuilder();
      Object value = document;
      int line = origin.line();
      for (JacksonException.Reference r : j.getPath()) {
        if (r.getPropertyName() != null) {
          path.append(path.isEmpty() ? "" : ".").append(r.getPropertyName());
          if (value instanceof Node n) {
            line = n.lineOf(r.getPropertyName());
          }
          value = value instanceof Map<?, ?> m ? m.get(r.getPropertyName()) : null;
        } else if (r.getIndex() >= 0) {
          path.append('[').append(r.getIndex()).append(']');
          value = value instanceof List<?> l && r.getIndex() < l.size() ? l.get(r.getIndex()) : null;
          line = Fields.line(value, line);
        }
      }
      Class<?> target = j instanceof MismatchedInputException m ? m.getTargetType()
          : j instanceof ValueInstantiationException v && v.getType() != null ? v.getType().getRawClass() : null;
      String expected = target == null ? "a different value" : expected(target);
      throw new ManifestException(new Origin(origin.file(), line), path + ": expected " + expected + ", got "
          + found(value), e);
    }
  }

  private static JacksonException jacksonCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JacksonException j) {
        return j;
      }
    }
    return null;
  }

  /** The expected type in the words of the Kubernetes API reference. */
  static String expected(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class
        || type == Short.class || type == short.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.getSimpleName().equals("IntOrString")) {
      return "an integer or a string";
    }
    if (type.getSimpleName().equals("Quantity")) {
      return "a quantity such as 100m or 1Gi";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping";
  }

  /** What the document holds, quoted when it is text. */
  static String found(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof String s) {
      return "\"" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + "\"";
    }
    return String.valueOf(value);
  }
}
