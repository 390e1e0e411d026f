package io.meshwarden.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
    List<String> lines = serveAndStop(new ProcessBuilder(java("serve", "--insecure", "--manifests",
        ServeEndToEndIT.MANIFESTS.get(0), "--state-dir", dir.resolve("state").toString(), "--xds-port", "0",
        "--als-port", "0", "--http-port", "0")), dir.resolve("err"));
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("SLF4J")), String.join("\n", lines));
    // What serve itself says (the --insecure warning, the stop) and nothing the libraries said at INFO or above.
    assertTrue(lines.stream().allMatch(l -> l.startsWith("warning: --insecure") || l.startsWith("info: stopped")),
        String.join("\n", lines));
  }

  /**
   * {@code serve} on a live cluster (fabric8's mock API server, named by a kubeconfig): the informers,
   * the cluster client and their stop log nothing but what serve says itself.
   */
  @Test
  void serveOnALiveClusterLogsOnlyWhatItSaysItself(@TempDir Path dir) throws Exception {
    KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    api.init();
    try {
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters: [{name: mock, cluster: {server: "http://localhost:%d"}}]
          users: [{name: me, user: {token: t}}]
          contexts: [{name: mock, context: {cluster: mock, user: me, namespace: default}}]
          current-context: mock
          """.formatted(api.getPort()));
      ProcessBuilder b = new ProcessBuilder(java("serve", "--insecure", "--state-dir", dir.resolve("state").toString(),
          "--xds-port", "0", "--als-port", "0", "--http-port", "0"));
      b.environment().put("KUBECONFIG", kubeconfig.toString());
      List<String> lines = serveAndStop(b, dir.resolve("err"));
      assertTrue(lines.stream().allMatch(l -> l.startsWith("warning: --insecure") || l.startsWith("info: ")),
          String.join("\n", lines));
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("info: watching http://localhost:")),
          String.join("\n", lines));
    } finally {
      api.destroy();
    }
  }

  /** Starts serve, waits for its three listeners, stops it with SIGTERM; returns its stderr lines. */
  private static List<String> serveAndStop(ProcessBuilder b, Path err) throws Exception {
    Process p = b.redirectError(err.toFile()).start();
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
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("SIGTERM did not stop serve within 10 s");
      }
    }
    return Files.readAllLines(err);
  }
}
