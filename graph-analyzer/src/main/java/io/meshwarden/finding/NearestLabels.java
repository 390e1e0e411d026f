package io.meshwarden.finding;

import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For a selector that selects nothing, the workload whose labels come closest, by edit distance
 * over the selector's {@code matchLabels} and expression keys: "selects name=cart; nearest:
 * default/carts has name=carts".
 */
final class NearestLabels {
  private NearestLabels() {}

  /** The selector as people write it: {@code app=cart, tier in (web,api)}; {@code {}} when empty. */
  static String text(LabelSelector s) {
    List<String> parts = new ArrayList<>();
    s.matchLabels().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> parts.add(e.getKey() + "=" + e.getValue()));
    for (LabelSelector.Requirement r : s.matchExpressions()) {
      parts.add(switch (r.operator()) {
        case Exists -> r.key();
        case DoesNotExist -> "!" + r.key();
        case In -> r.key() + " in (" + String.join(",", r.values()) + ")";
        case NotIn -> r.key() + " notin (" + String.join(",", r.values()) + ")";
      });
    }
    return parts.isEmpty() ? "{}" : String.join(", ", parts);
  }

  /**
   * "; nearest: ns/name has k=v" for the closest candidate, or the empty string when there is no
   * candidate or nothing in the selector to compare.
   */
  static String nearest(LabelSelector s, List<Workload> candidates) {
    Workload best = null;
    int bestCost = Integer.MAX_VALUE;
    List<String> bestLabels = List.of();
    for (Workload w : candidates) {
      int cost = 0;
      List<String> labels = new ArrayList<>();
      for (Map.Entry<String, String> want : s.matchLabels().entrySet()) {
        int c = Integer.MAX_VALUE;
        String label = null;
        for (Map.Entry<String, String> have : w.podLabels().entrySet()) {
          int d = EditDistance.levenshtein(want.getKey(), have.getKey())
              + EditDistance.levenshtein(want.getValue(), have.getValue());
          if (d < c) {
            c = d;
            label = have.getKey() + "=" + have.getValue();
          }
        }
        cost += label == null ? want.getKey().length() + want.getValue().length() : c;
        if (label != null) {
          labels.add(label);
        }
      }
      for (LabelSelector.Requirement r : s.matchExpressions()) {
        int c = Integer.MAX_VALUE;
        String label = null;
        for (Map.Entry<String, String> have : w.podLabels().entrySet()) {
          int d = EditDistance.levenshtein(r.key(), have.getKey());
          if (d < c) {
            c = d;
            label = have.getKey() + "=" + have.getValue();
          }
        }
        cost += label == null ? r.key().length() : c;
        if (label != null) {
          labels.add(label);
        }
      }
      if (!labels.isEmpty() && cost < bestCost) {
        bestCost = cost;
        best = w;
        bestLabels = labels.stream().distinct().toList();
      }
    }
    return best == null ? "" : "; nearest: " + Workloads.shortName(best) + " has " + String.join(", ", bestLabels);
  }
}
