package io.meshwarden.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.ingest.manifest.LoadResult;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every connectivity case of np-guard's suite whose manifests hold an AdminNetworkPolicy or the
 * BaselineAdminNetworkPolicy, rerun with those rewritten as ClusterNetworkPolicies
 * ({@link ToClusterNetworkPolicy}): the output must be the original's, line for line.
 */
class ClusterNetworkPolicyEquivalenceTest {
  private static final Tally TALLY = new Tally("np-guard ANP/BANP cases converted to ClusterNetworkPolicy");

  @TempDir
  static Path converted;

  @TestFactory
  Stream<DynamicTest> convertedCasesGiveTheSameConnectivity() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (NpGuardSuite.Case c : NpGuardSuite.connlistCases()) {
      Path original = NpGuardSuite.ROOT.resolve(c.testDir());
      if (!Files.isDirectory(original) || !ToClusterNetworkPolicy.hasAdminPolicies(original)) {
        continue;
      }
      String expected;
      try {
        expected = NpGuardSuite.run(c);
      } catch (ManifestException | IllegalArgumentException e) {
        continue; // error cases and formats we do not render have their own tests; nothing to compare
      }
      Path dir = converted.resolve(c.testDir());
      if (!Files.exists(dir)) {
        ToClusterNetworkPolicy.convertTree(original, dir);
      }
      tests.add(TALLY.test(c.testDir() + " " + c.name(), () -> {
        LoadResult before = new ManifestLoader(true).load(List.of(original.toString()));
        LoadResult after = new ManifestLoader(true).load(List.of(dir.toString()));
        assertTrue(after.model().adminNetworkPolicies().isEmpty() && after.model().baselineAdminNetworkPolicy().isEmpty(),
            "every ANP and BANP was converted");
        assertEquals(before.model().adminNetworkPolicies().size() + (before.model().baselineAdminNetworkPolicy()
            .isPresent() ? 1 : 0), after.model().clusterNetworkPolicies().size(), "one CNP per ANP/BANP");
        assertEquals(before.errors(), after.errors(), "the conversion adds no error");
        assertEquals(NpGuardSuite.normalise(expected), NpGuardSuite.normalise(NpGuardSuite.run(c, dir)), c.testDir());
      }));
    }
    if (tests.size() < 50) {
      throw new AssertionError("expected at least 50 ANP/BANP cases, found " + tests.size());
    }
    return tests.stream();
  }

  @AfterAll
  static void report() {
    TALLY.report();
  }
}
