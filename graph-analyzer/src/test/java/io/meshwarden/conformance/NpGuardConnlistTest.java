package io.meshwarden.conformance;


import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code txt} connectivity case of np-guard netpol-analyzer's suite, compared as sorted
 * lines with the golden output.
 */
class NpGuardConnlistTest {
  private static final Tally TALLY = new Tally("np-guard connlist txt cases");

  @TestFactory
  Stream<DynamicTest> connlistTxtCases() throws Exception {
    return NpGuardSuite.connlistCases().stream()
        .filter(c -> c.format().equals("txt") && c.analysis().equals("connlist") && !c.multiNetwork())
        .map(c -> TALLY.test(c.name(), () -> NpGuardSuite.assertTxt(c)));
  }

  @AfterAll
  static void report() {
    TALLY.report();
  }
}
