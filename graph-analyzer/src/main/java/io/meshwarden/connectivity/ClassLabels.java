package io.meshwarden.connectivity;

import io.meshwarden.model.LabelSelector;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod labels of peer classes, inverted: per key and value, the classes carrying it. A selector
 * is then matched against every class at once with a few bit-set operations per term, instead of
 * one label lookup per class per rule (at 10,000 classes and 2,000 policies that was most of the
 * analysis). The answer is {@link LabelSelector#matches} class by class; an absent key and a key
 * with a null value are the same to both.
 */
final class ClassLabels {
  private static final BitSet NONE = new BitSet();

  /** Per key, per value: the classes whose labels hold {@code key=value}. */
  private final Map<String, Map<String, BitSet>> byValue = new HashMap<>();
  /** Per key: the classes whose labels hold the key with some value. */
  private final Map<String, BitSet> byKey = new HashMap<>();
  /** Evaluated selectors over every indexed class; only built and read during one index's construction. */
  private final Map<LabelSelector, BitSet> matched = new HashMap<>();
  private final BitSet all = new BitSet();

  /** Indexes the classes that selectors match by labels (not representatives). */
  ClassLabels(List<PeerClass> classes) {
    for (PeerClass c : classes) {
      if (c.representative != null) {
        continue;
      }
      all.set(c.index);
      for (Map.Entry<String, String> e : c.labels.entrySet()) {
        if (e.getValue() == null) {
          continue;
        }
        byKey.computeIfAbsent(e.getKey(), k -> new BitSet()).set(c.index);
        byValue.computeIfAbsent(e.getKey(), k -> new HashMap<>())
            .computeIfAbsent(e.getValue(), v -> new BitSet()).set(c.index);
      }
    }
  }

  /**
   * Sets in {@code out} the classes among {@code candidates} that {@code selector} matches; a null
   * selector matches them all.
   */
  void mark(LabelSelector selector, BitSet candidates, BitSet out) {
    if (selector == null) {
      out.or(candidates);
      return;
    }
    BitSet m = (BitSet) matching(selector).clone();
    m.and(candidates);
    out.or(m);
  }

  /** The indexed classes {@code selector} matches; the caller must not change the result. */
  private BitSet matching(LabelSelector selector) {
    BitSet m = matched.get(selector);
    if (m == null) {
      m = evaluate(selector);
      matched.put(selector, m);
    }
    return m;
  }

  private BitSet evaluate(LabelSelector selector) {
    BitSet out = (BitSet) all.clone();
    for (Map.Entry<String, String> e : selector.matchLabels().entrySet()) {
      out.and(byValue.getOrDefault(e.getKey(), Map.of()).getOrDefault(e.getValue(), NONE));
    }
    for (LabelSelector.Requirement r : selector.matchExpressions()) {
      switch (r.operator()) {
        case In -> out.and(anyOf(r));
        case NotIn -> out.andNot(anyOf(r));
        case Exists -> out.and(byKey.getOrDefault(r.key(), NONE));
        case DoesNotExist -> out.andNot(byKey.getOrDefault(r.key(), NONE));
        default -> throw new IllegalStateException("unknown operator " + r.operator());
      }
    }
    return out;
  }

  /** The classes whose label {@code r.key()} has one of {@code r.values()}. */
  private BitSet anyOf(LabelSelector.Requirement r) {
    Map<String, BitSet> values = byValue.getOrDefault(r.key(), Map.of());
    BitSet out = new BitSet();
    for (String v : r.values()) {
      if (v != null) {
        out.or(values.getOrDefault(v, NONE));
      }
    }
    return out;
  }
}
