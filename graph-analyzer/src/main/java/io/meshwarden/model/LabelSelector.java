package io.meshwarden.model;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Kubernetes label selector. An empty selector matches everything; a null reference to a
 * selector (an absent field) is handled by the caller, because its meaning depends on the field.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
  public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

  public LabelSelector {
    matchLabels = Map.copyOf(matchLabels);
    matchExpressions = List.copyOf(matchExpressions);
  }

  public boolean isEmpty() {
    return matchLabels.isEmpty() && matchExpressions.isEmpty();
  }

  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (Requirement r : matchExpressions) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** The operators of {@code matchExpressions}. */
  public enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist
  }

  /** One {@code matchExpressions} entry. */
  public record Requirement(String key, Operator operator, Set<String> values) {
    public Requirement {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(operator, "operator");
      // Keep the manifest's order: exposure reports print values as written.
      values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    public boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case In -> v != null && values.contains(v);
        case NotIn -> v == null || !values.contains(v);
        case Exists -> v != null;
        case DoesNotExist -> v == null;
      };
    }
  }
}
