package io.meshwarden.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * np-guard's multi-network {@code txt} connectivity cases (OVN-Kubernetes UDN, CUDN, NAD,
 * MultiNetworkPolicy, KubeVirt VMs), compared as sorted lines with the golden output.
 */
class NpGuardMultiNetworkTest {
  private static final List<String> passed = new ArrayList<>();
  private static final List<String> failed = new ArrayList<>();

  @TestFactory
  Stream<DynamicTest> multiNetworkTxtCases() throws Exception {
    return NpGuardSuite.connlistCases().stream()
        .filter(c -> c.format().equals("txt") && c.analysis().equals("connlist") && c.multiNetwork())
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

  @AfterAll
  static void report() {
    System.out.printf("np-guard multi-network txt cases: %d/%d passed%n", passed.size(), passed.size() + failed.size());
    failed.forEach(f -> System.out.println("  FAILED " + f));
  }
}
