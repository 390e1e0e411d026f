package io.meshwarden.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
  private static final Tally TALLY = new Tally("np-guard exposure txt cases");
  private static final Tally JSON = new Tally("np-guard exposure json cases");

  @TestFactory
  Stream<DynamicTest> exposureTxtCases() throws Exception {
    return NpGuardSuite.connlistCases().stream()
        .filter(c -> c.format().equals("txt") && c.analysis().equals("exposure") && !c.multiNetwork())
        .map(c -> TALLY.test(c.name(), () -> NpGuardSuite.assertTxt(c)));
  }

  /** The JSON form, compared as documents: np-guard's key order and indentation are not the point. */
  @TestFactory
  Stream<DynamicTest> exposureJsonCases() throws Exception {
    JsonMapper mapper = JsonMapper.builder().build();
    return NpGuardSuite.connlistCases().stream()
        .filter(c -> c.format().equals("json") && c.analysis().equals("exposure") && !c.multiNetwork())
        .map(c -> JSON.test(c.name(), () ->
            assertEquals(mapper.readTree(NpGuardSuite.expected(c)), mapper.readTree(NpGuardSuite.run(c)), c.testDir())));
  }

  @AfterAll
  static void report() {
    TALLY.report();
    JSON.report();
  }
}
