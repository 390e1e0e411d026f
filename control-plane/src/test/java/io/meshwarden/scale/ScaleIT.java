package io.meshwarden.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.bench.SyntheticCluster;
import io.meshwarden.bench.SyntheticManifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar in a JVM of its own, with a heap far smaller than the work: what a user sees when
 * the heap runs out, and that connectivity output does not need the heap to hold it.
 */
class ScaleIT {
  private static final Path JAR = Path.of("target/meshwarden.jar");

  record Run(int code, String err, long outBytes) {}

  static Run jar(Path dir, String heap, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    Path out = dir.resolve("stdout");
    Path err = dir.resolve("stderr");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished within two minutes: " + cmd);
    return new Run(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8), Files.size(out));
  }

  @Test
  void outOfMemory_endsWithExit70AndOneLineThatNamesXmx(@TempDir Path dir) throws Exception {
    Path cluster = dir.resolve("cluster.yaml");
    SyntheticManifests.writeCluster(new SyntheticCluster.Spec(20, 2000, 0, 0.3, 1), cluster);
    Run r = jar(dir, "12m", "analyze", "-f", cluster.toString(), "-q");
    assertEquals(70, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("meshwarden: out of memory") && r.err().contains("-Xmx"), r.err());
  }
}
