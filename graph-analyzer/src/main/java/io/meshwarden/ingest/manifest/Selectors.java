package io.meshwarden.ingest.manifest;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.meshwarden.model.LabelSelector.Operator;
import io.meshwarden.model.LabelSelector.Requirement;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.Origin;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Converts and validates label selectors (fabric8 objects or plain maps). */
final class Selectors {
  private Selectors() {}

  static LabelSelector convert(io.fabric8.kubernetes.api.model.LabelSelector s, Origin origin, String where)
      throws ManifestException {
    if (s == null) {
      return null;
    }
    Map<String, String> labels = s.getMatchLabels() == null ? Map.of() : s.getMatchLabels();
    List<Requirement> reqs = new ArrayList<>();
    if (s.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : s.getMatchExpressions()) {
        reqs.add(requirement(r.getKey(), r.getOperator(), r.getValues(), origin, where));
      }
    }
    return build(labels, reqs, origin, where);
  }

  /** Converts a selector given as a plain map ({@code matchLabels}, {@code matchExpressions}). */
  static LabelSelector convert(Map<String, Object> s, Origin origin, String where) throws ManifestException {
    if (s == null) {
      return null;
    }
    Map<String, Object> rawLabels = Fields.map(s, "matchLabels");
    Map<String, String> labels = new java.util.HashMap<>();
    if (rawLabels != null) {
      rawLabels.forEach((k, v) -> labels.put(k, v == null ? "" : String.valueOf(v)));
    }
    List<Requirement> reqs = new ArrayList<>();
    List<Object> exprs = Fields.list(s, "matchExpressions");
    if (exprs != null) {
      for (Object e : exprs) {
        List<Object> values = Fields.list(e, "values");
        List<String> vs = new ArrayList<>();
        if (values != null) {
          values.forEach(v -> vs.add(String.valueOf(v)));
        }
        reqs.add(requirement(Fields.str(e, "key"), Fields.str(e, "operator"), vs, origin, where));
      }
    }
    return build(labels, reqs, origin, where);
  }

  private static LabelSelector build(Map<String, String> labels, List<Requirement> reqs, Origin origin, String where)
      throws ManifestException {
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String problem = Labels.checkKey(e.getKey());
      if (problem == null) {
        problem = Labels.checkValue(e.getValue() == null ? "" : e.getValue());
      }
      if (problem != null) {
        throw new ManifestException(origin, "selector error: " + where + ": " + problem);
      }
    }
    return new LabelSelector(labels, reqs);
  }

  private static Requirement requirement(String key, String op, List<String> values, Origin origin, String where)
      throws ManifestException {
    if (key == null) {
      throw new ManifestException(origin, "selector error: " + where + ": matchExpressions entry without key");
    }
    String problem = Labels.checkKey(key);
    if (problem != null) {
      throw new ManifestException(origin, "selector error: " + where + ": " + problem);
    }
    Operator operator;
    try {
      operator = Operator.valueOf(op == null ? "" : op);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(origin, "selector error: " + where + ": \"" + op
          + "\" is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)");
    }
    List<String> vs = values == null ? List.of() : values;
    boolean needsValues = operator == Operator.In || operator == Operator.NotIn;
    if (needsValues && vs.isEmpty()) {
      throw new ManifestException(origin, "selector error: " + where + ": values must be non-empty for operator " + op);
    }
    if (!needsValues && !vs.isEmpty()) {
      throw new ManifestException(origin, "selector error: " + where + ": values must be empty for operator " + op);
    }
    for (String v : vs) {
      String bad = Labels.checkValue(v);
      if (bad != null) {
        throw new ManifestException(origin, "selector error: " + where + ": " + bad);
      }
    }
    return new Requirement(key, operator, new LinkedHashSet<>(vs));
  }
}
