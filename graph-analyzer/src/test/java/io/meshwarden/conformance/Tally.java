package io.meshwarden.conformance;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/** Counts a suite's passing and failing cases, so that each run prints its pass count. */
final class Tally {
  private final String label;
  private final List<String> passed = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();

  Tally(String label) {
    this.label = label;
  }

  DynamicTest test(String name, Executable check) {
    return DynamicTest.dynamicTest(name, () -> {
      try {
        check.execute();
        passed.add(name);
      } catch (Throwable t) {
        failed.add(name);
        throw t;
      }
    });
  }

  void report() {
    System.out.printf("%s: %d/%d passed%n", label, passed.size(), passed.size() + failed.size());
    failed.forEach(f -> System.out.println("  FAILED " + f));
  }
}
