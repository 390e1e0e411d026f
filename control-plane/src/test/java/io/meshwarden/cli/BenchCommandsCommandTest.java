package io.meshwarden.cli;

import static io.meshwarden.cli.MeshwardenCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench-commands as a user runs it; the timings themselves are the benchmark's, not a test's. */
class BenchCommandsCommandTest {
  @Test
  void inThisJvm_everyCommandRuns_andTheTableHasARowEach(@TempDir Path dir) {
    MeshwardenCommandTest.Run r = run("bench-commands", "--dir", dir.toString(), "--sizes", "60x20", "--namespaces",
        "3", "--flows-per-workload", "2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("bare YAML load"), r.out());
    assertEquals(BenchCommandsCommand.COMMANDS.size() + 1, r.out().lines().filter(l -> l.startsWith("| 60 |")).count(),
        r.out());
    assertTrue(r.out().contains("`diff -f cluster.yaml policies.yaml generated.yaml` |"), r.out());
  }

  @Test
  void freshJvm_needsThePackagedJar_andSaysSo(@TempDir Path dir) {
    // Tests run from classes, not the jar: the option must refuse clearly rather than time nothing.
    MeshwardenCommandTest.Run r = run("bench-commands", "--fresh-jvm", "--dir", dir.toString(), "--sizes", "60x20",
        "--namespaces", "3");
    assertEquals(ExitCodes.USAGE, r.code(), r.out());
    assertTrue(r.err().contains("--fresh-jvm runs the packaged jar"), r.err());
  }
}
