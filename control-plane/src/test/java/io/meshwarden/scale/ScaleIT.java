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

  /** Runs the jar and counts the lines it prints, without keeping them. */
  static long[] lines(Path dir, String heap, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr").toFile()).start();
    long lines = 0;
    byte[] buf = new byte[1 << 16];
    try (var in = p.getInputStream()) {
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            lines++;
          }
        }
      }
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished within two minutes: " + cmd);
    return new long[] {p.exitValue(), lines};
  }

  /**
   * 1,500 workloads without policies allow 2.25 million connections (160 MB of text); they print
   * under a 32 MB heap, which could not hold them as objects (the version that collected them
   * ran out of memory here).
   */
  @Test
  void connectivityAndDiff_streamUnderAHeapSmallerThanTheirOutput(@TempDir Path dir) throws Exception {
    Path cluster = dir.resolve("cluster.yaml");
    SyntheticManifests.writeCluster(new SyntheticCluster.Spec(20, 1500, 0, 0.3, 1), cluster);
    long pairs = 1500L * 1499 + 2 * 1500; // every ordered pair, and every workload to and from 0.0.0.0/0
    long[] txt = lines(dir, "32m", "connectivity", "-q", "-f", cluster.toString());
    assertEquals(0, txt[0], Files.readString(dir.resolve("stderr")));
    assertEquals(pairs, txt[1]);
    long[] json = lines(dir, "32m", "connectivity", "-q", "-f", cluster.toString(), "-o", "json");
    assertEquals(0, json[0], Files.readString(dir.resolve("stderr")));
    assertEquals(pairs * 5 + 2, json[1]);
    Path none = dir.resolve("none.yaml");
    Files.writeString(none, "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: none, namespace: ns-0}\n"
        + "spec: {podSelector: {matchLabels: {app: none}}, policyTypes: [Ingress]}\n");
    Path denyAll = dir.resolve("deny-all.yaml");
    StringBuilder deny = new StringBuilder();
    for (int n = 0; n < 20; n++) {
      deny.append("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: ns-")
          .append(n).append("}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n");
    }
    Files.writeString(denyAll, deny);
    // diff holds two loaded policy sets over the same cluster at once (each with its own parse of
    // the 1.5 MB file), so it gets 48 MB: still a third of the 160 MB it prints. It passed at 32 MB
    // until the jar grew: a heap dump at the OutOfMemoryError holds 30 MB, of which 5.2 MB is the
    // jar's central directory (46,490 entries, kept on the heap by the JDK's zip reader; 4.2 MB at
    // 9dc6704, which passes at 32 MB) and 6 MB the YAML reader's window (an int per character of a
    // 1 MB buffer, and its char buffer) while the second load runs. Bisected to b63ef71..d48d9e3,
    // where 77e0aff put grpc-xds into the jar for demo --workloads. Not waste in diff itself.
    long[] diff = lines(dir, "48m", "diff", "-f", cluster.toString(), none.toString(), denyAll.toString());
    assertEquals(1, diff[0], Files.readString(dir.resolve("stderr")));
    // Every connection into a pod is removed; egress to the internet stays. Plus the summary line.
    assertEquals(1500L * 1499 + 1500 + 1, diff[1]);
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
