package io.meshwarden.connectivity;

import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.Namespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders the selectors of a representative peer as np-guard does, so exposure reports can be
 * compared with its output: label maps in Kubernetes selector syntax, expressions in Go's struct
 * notation.
 */
final class SelectorText {
  private SelectorText() {}

  static String namespacePart(LabelSelector s) {
    if (s.matchExpressions().isEmpty() && s.matchLabels().size() == 1
        && s.matchLabels().containsKey(Namespace.NAME_LABEL)) {
      return s.matchLabels().get(Namespace.NAME_LABEL);
    }
    return s.isEmpty() ? "[all namespaces]" : "[namespace with {" + body(s) + "}]";
  }

  static String podPart(LabelSelector s) {
    return s == null || s.isEmpty() ? "[all pods]" : "[pod with {" + body(s) + "}]";
  }

  static String body(LabelSelector s) {
    List<String> parts = new ArrayList<>();
    StringBuilder labels = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(s.matchLabels()).entrySet()) {
      if (labels.length() > 0) {
        labels.append(',');
      }
      labels.append(e.getKey()).append('=').append(e.getValue());
    }
    if (labels.length() > 0) {
      parts.add(labels.toString());
    }
    List<String> expressions = new ArrayList<>();
    for (LabelSelector.Requirement r : s.matchExpressions()) {
      expressions.add("{Key:" + r.key() + ",Operator:" + r.operator() + ",Values:[" + String.join(" ", r.values())
          + "],}");
    }
    expressions.sort(null);
    parts.addAll(expressions);
    return String.join(",", parts);
  }
}
