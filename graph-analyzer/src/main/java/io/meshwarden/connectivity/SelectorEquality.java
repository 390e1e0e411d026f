package io.meshwarden.connectivity;

import io.meshwarden.model.LabelSelector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Decides whether a rule's selector selects a representative peer. A representative stands for
 * pods nobody has described yet, so labels cannot be matched; instead the rule must name exactly
 * the same requirements (or select everything). {@code k in (v)} counts as {@code k=v}.
 */
final class SelectorEquality {
  private SelectorEquality() {}

  /** Whether {@code rule} (non-null) selects what {@code representative} (null: everything) stands for. */
  static boolean selects(LabelSelector rule, LabelSelector representative) {
    if (rule == representative || rule.isEmpty()) {
      return true;
    }
    return canonical(rule).equals(canonical(representative));
  }

  /** A key equal for selectors with the same requirements; null and empty selectors share one. */
  static String key(LabelSelector s) {
    return String.join(",", canonical(s));
  }

  /** The requirements as Kubernetes prints them, sorted by key then text. */
  static List<String> canonical(LabelSelector s) {
    List<String[]> reqs = new ArrayList<>();
    if (s != null) {
      for (Map.Entry<String, String> e : s.matchLabels().entrySet()) {
        reqs.add(new String[] {e.getKey(), e.getKey() + "=" + e.getValue()});
      }
      for (LabelSelector.Requirement r : s.matchExpressions()) {
        reqs.add(new String[] {r.key(), text(r)});
      }
    }
    reqs.sort(Comparator.comparing((String[] r) -> r[0]).thenComparing(r -> r[1]));
    List<String> out = new ArrayList<>(reqs.size());
    reqs.forEach(r -> out.add(r[1]));
    return out;
  }

  private static String text(LabelSelector.Requirement r) {
    String values = String.join(",", new TreeSet<>(r.values()));
    return switch (r.operator()) {
      case In -> r.values().size() == 1 ? r.key() + "=" + values : r.key() + " in (" + values + ")";
      case NotIn -> r.key() + " notin (" + values + ")";
      case Exists -> r.key();
      case DoesNotExist -> "!" + r.key();
    };
  }
}
