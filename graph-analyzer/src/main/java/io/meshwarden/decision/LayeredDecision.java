package io.meshwarden.decision;

import io.meshwarden.authz.Verdict;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The verdict across every layer for one connection or request: reachable only when every layer
 * allows it. DENIED when any layer denies; else NOT_EVALUABLE when any layer is decided outside
 * the configuration; else DEPENDS when any layer depends on attributes that are not known; else
 * ALLOWED.
 */
public record LayeredDecision(Verdict verdict, List<LayerDecision> layers) {
  public LayeredDecision {
    Objects.requireNonNull(verdict, "verdict");
    layers = List.copyOf(layers);
  }

  /** Combines layer verdicts as described on the type. */
  public static LayeredDecision of(List<LayerDecision> layers) {
    Verdict v = Verdict.ALLOWED;
    for (Verdict candidate : List.of(Verdict.DENIED, Verdict.NOT_EVALUABLE, Verdict.DEPENDS)) {
      if (layers.stream().anyMatch(l -> l.verdict() == candidate)) {
        v = candidate;
        break;
      }
    }
    return new LayeredDecision(v, layers);
  }

  /**
   * The layer that gave the final verdict: the first with that verdict; for ALLOWED, the last layer
   * a policy decided (the innermost one that let it through), else the last layer.
   */
  public LayerDecision deciding() {
    if (verdict != Verdict.ALLOWED) {
      return layers.stream().filter(l -> l.verdict() == verdict).findFirst().orElseThrow();
    }
    for (int i = layers.size() - 1; i >= 0; i--) {
      if (layers.get(i).policy() != null) {
        return layers.get(i);
      }
    }
    return layers.get(layers.size() - 1);
  }

  /** The layer's decision, if it was evaluated. */
  public java.util.Optional<LayerDecision> layer(Layer layer) {
    return layers.stream().filter(l -> l.layer() == layer).findFirst();
  }

  /** Every attribute some layer's answer hinges on, sorted. */
  public List<String> dependsOn() {
    TreeSet<String> out = new TreeSet<>();
    layers.forEach(l -> out.addAll(l.dependsOn()));
    return List.copyOf(out);
  }

  /**
   * One line: {@code <connection>: DENIED at Istio authorization by AuthorizationPolicy ns/x rule #1
   * (file:line)}, with what it depends on for DEPENDS.
   */
  public String headline(String connection) {
    LayerDecision d = deciding();
    String at = d.policy() != null ? " at " + d.layer().title() + " by " + d.decidedBy()
        : verdict == Verdict.ALLOWED ? ": no policy restricts it at any layer" : ": " + d.reason();
    return connection + ": " + verdict + at
        + (verdict == Verdict.DEPENDS ? "; depends on " + String.join(", ", dependsOn()) : "");
  }
}
