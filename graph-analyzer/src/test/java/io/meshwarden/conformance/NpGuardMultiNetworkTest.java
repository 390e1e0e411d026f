package io.meshwarden.conformance;


import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * np-guard's multi-network {@code txt} connectivity cases (OVN-Kubernetes UDN, CUDN, NAD,
 * MultiNetworkPolicy, KubeVirt VMs), compared as sorted lines with the golden output.
 */
class NpGuardMultiNetworkTest {
  private static final Tally TALLY = new Tally("np-guard multi-network txt cases");

  @TestFactory
  Stream<DynamicTest> multiNetworkTxtCases() throws Exception {
    return NpGuardSuite.connlistCases().stream()
        .filter(c -> c.format().equals("txt") && c.analysis().equals("connlist") && c.multiNetwork())
        .map(c -> TALLY.test(c.name(), () -> NpGuardSuite.assertTxt(c)));
  }

  @AfterAll
  static void report() {
    TALLY.report();
  }
}
