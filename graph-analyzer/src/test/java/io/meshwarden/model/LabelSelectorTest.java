package io.meshwarden.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
  private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front");

  @Test
  void empty_matchesEverything() {
    assertTrue(LabelSelector.EVERYTHING.matches(Map.of()));
    assertTrue(LabelSelector.EVERYTHING.matches(WEB));
  }

  @Test
  void matchLabels_needsEveryPair() {
    assertTrue(new LabelSelector(Map.of("app", "web"), List.of()).matches(WEB));
    assertFalse(new LabelSelector(Map.of("app", "web", "tier", "back"), List.of()).matches(WEB));
  }

  @Test
  void operators() {
    assertTrue(req("tier", LabelSelector.Operator.In, "front", "back").matches(WEB));
    assertFalse(req("tier", LabelSelector.Operator.NotIn, "front").matches(WEB));
    assertTrue(req("zone", LabelSelector.Operator.NotIn, "a").matches(WEB), "NotIn matches a missing key");
    assertTrue(req("app", LabelSelector.Operator.Exists).matches(WEB));
    assertFalse(req("app", LabelSelector.Operator.DoesNotExist).matches(WEB));
    assertFalse(req("zone", LabelSelector.Operator.In, "a").matches(WEB));
  }

  private static LabelSelector.Requirement req(String key, LabelSelector.Operator op, String... values) {
    return new LabelSelector.Requirement(key, op, Set.of(values));
  }
}
