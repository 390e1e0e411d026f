package io.meshwarden.connectivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.LabelSelector;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Matching a selector through the label index must give what matching class by class gives. */
class ClassLabelsTest {
  private static final String[] KEYS = {"app", "tier", "team"};
  private static final String[] VALUES = {"a", "b", "c"};

  @Test
  void mark_agreesWithMatchesClassByClass_forEveryOperator() {
    Random random = new Random(8);
    List<PeerClass> classes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Map<String, String> labels = new HashMap<>();
      for (String k : KEYS) {
        if (random.nextInt(3) > 0) {
          labels.put(k, VALUES[random.nextInt(VALUES.length)]);
        }
      }
      classes.add(new PeerClass(i, "ns", Map.of(), labels, List.of()));
    }
    ClassLabels index = new ClassLabels(classes);
    BitSet candidates = new BitSet();
    classes.forEach(c -> candidates.set(c.index, random.nextInt(4) > 0));
    int nonTrivial = 0;
    for (int s = 0; s < 500; s++) {
      LabelSelector selector = randomSelector(random);
      BitSet expected = new BitSet();
      for (PeerClass c : classes) {
        if (candidates.get(c.index) && selector.matches(c.labels)) {
          expected.set(c.index);
        }
      }
      BitSet actual = new BitSet();
      actual.set(199); // marks add to what is there
      index.mark(selector, candidates, actual);
      expected.set(199);
      assertEquals(expected, actual, selector.toString());
      nonTrivial += expected.cardinality() > 1 && expected.cardinality() < candidates.cardinality() ? 1 : 0;
    }
    assertTrue(nonTrivial > 100, "selectors that split the classes: " + nonTrivial);
  }

  @Test
  void nullSelector_marksEveryCandidate() {
    List<PeerClass> classes = List.of(new PeerClass(0, "ns", Map.of(), Map.of("app", "a"), List.of()),
        new PeerClass(1, "ns", Map.of(), Map.of(), List.of()));
    BitSet out = new BitSet();
    BitSet candidates = new BitSet();
    candidates.set(1);
    new ClassLabels(classes).mark(null, candidates, out);
    assertEquals(candidates, out);
  }

  private static LabelSelector randomSelector(Random random) {
    Map<String, String> matchLabels = new HashMap<>();
    if (random.nextInt(3) == 0) {
      matchLabels.put(KEYS[random.nextInt(KEYS.length)], VALUES[random.nextInt(VALUES.length)]);
    }
    List<LabelSelector.Requirement> expressions = new ArrayList<>();
    int n = random.nextInt(3);
    for (int i = 0; i < n; i++) {
      LabelSelector.Operator op = LabelSelector.Operator.values()[random.nextInt(4)];
      Set<String> values = new LinkedHashSet<>();
      if (op == LabelSelector.Operator.In || op == LabelSelector.Operator.NotIn) {
        values.add(VALUES[random.nextInt(VALUES.length)]);
        values.add(random.nextBoolean() ? "absent" : VALUES[random.nextInt(VALUES.length)]);
      }
      expressions.add(new LabelSelector.Requirement(random.nextInt(5) == 0 ? "other" : KEYS[random.nextInt(KEYS.length)],
          op, values));
    }
    return new LabelSelector(matchLabels, expressions);
  }
}
