package io.meshwarden.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the executable writes on stderr when nothing is wrong, in a child JVM with the jar's class
 * path: the libraries log through a real SLF4J provider (no "no providers" warning), and a command
 * that has nothing to warn about writes nothing there.
 */
class StartupOutputIT {
  private static List<String> java(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.meshwarden.Main"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Test
  void versionWritesNothingOnStderr(@TempDir Path dir) throws Exception {
    Path err = dir.resolve("err");
    Process p = new ProcessBuilder(java("--version")).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    assertTrue(out.startsWith("meshwarden "), out);
    assertEquals("", Files.readString(err));
  }

  @Test
  void serveStartsWithoutTheNoLoggingProviderWarning(@TempDir Path dir) throws Exception {
    Path err = dir.resolve("err");
    Process p = new ProcessBuilder(java("serve", "--insecure", "--manifests", ServeEndToEndIT.MANIFESTS.get(0),
        "--state-dir", dir.resolve("state").toString(), "--xds-port", "0", "--als-port", "0", "--http-port", "0"))
        .redirectError(err.toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      int listeners = 0;
      for (String line; listeners < 3 && (line = out.readLine()) != null; ) {
        if (line.contains(" listening on ")) {
          listeners++;
        }
      }
      assertEquals(3, listeners, "serve started: " + Files.readString(err));
    } finally {
      p.destroy();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "SIGTERM stops serve within 10 s");
    }
    List<String> lines = Files.readAllLines(err);
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("SLF4J")), String.join("\n", lines));
    // What serve itself says (the --insecure warning, the stop) and nothing the libraries said at INFO or above.
    assertTrue(lines.stream().allMatch(l -> l.startsWith("warning: --insecure") || l.startsWith("info: stopped")),
        String.join("\n", lines));
  }
}
