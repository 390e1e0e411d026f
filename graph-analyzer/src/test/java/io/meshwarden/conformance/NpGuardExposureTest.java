package io.meshwarden.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code txt} exposure-analysis case of np-guard netpol-analyzer's suite, compared as sorted
 * lines with the golden output.
 */
class NpGuardExposureTest {
  private static final List<String> passed = new ArrayList<>();
  private static final List<String> failed = new ArrayList<>();
  private static final List<String> jsonPassed = new ArrayList<>();
  private static final List<String> jsonFailed = new ArrayList<>();

  @TestFactory
  Stream<DynamicTest> exposureTxtCases() throws Exception {
    return NpGuardSuite.connlistCases().stream()
        .filter(c -> c.format().equals("txt") && c.analysis().equals("exposure") && !c.multiNetwork())
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
          try {
            assertEquals(NpGuardSuite.normalise(NpGuardSuite.expected(c)),
                NpGuardSuite.normalise(NpGuardSuite.run(c)), c.testDir());
            passed.add(c.name());
          } catch (Throwable t) {
            failed.add(c.name());
            throw t;
          }
        }));
  }

  /** The JSON form, compared as documents: np-guard's key order and indentation are not the point. */
  @TestFactory
  Stream<DynamicTest> exposureJsonCases() throws Exception {
    JsonMapper mapper = JsonMapper.builder().build();
    return NpGuardSuite.connlistCases().stream()
        .filter(c -> c.format().equals("json") && c.analysis().equals("exposure") && !c.multiNetwork())
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
          try {
            assertEquals(mapper.readTree(NpGuardSuite.expected(c)), mapper.readTree(NpGuardSuite.run(c)), c.testDir());
            jsonPassed.add(c.name());
          } catch (Throwable t) {
            jsonFailed.add(c.name());
            throw t;
          }
        }));
  }

  @AfterAll
  static void report() {
    System.out.printf("np-guard exposure txt cases: %d/%d passed%n", passed.size(), passed.size() + failed.size());
    failed.forEach(f -> System.out.println("  FAILED " + f));
    System.out.printf("np-guard exposure json cases: %d/%d passed%n", jsonPassed.size(),
        jsonPassed.size() + jsonFailed.size());
    jsonFailed.forEach(f -> System.out.println("  FAILED " + f));
  }
}
