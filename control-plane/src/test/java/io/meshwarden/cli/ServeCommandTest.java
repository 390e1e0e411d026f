package io.meshwarden.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}'s refusals, before anything listens: each names what is wrong and exits 2. */
class ServeCommandTest {
  private static final String BOUTIQUE =
      "../manifests/examples/online-boutique/derived/kustomize-base+network-policies.rendered.yaml";

  private static void refused(String expected, String... args) {
    MeshwardenCommandTest.Run r = MeshwardenCommandTest.run(args);
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertEquals("", r.out(), "no listener line: nothing was started");
  }

  @Test
  void withoutInsecureServeRefusesToServePlaintext(@TempDir Path dir) {
    refused("pass --insecure", "serve", "--manifests", BOUTIQUE, "--state-dir", dir.toString());
  }

  @Test
  void badSettingsAreRefusedByName(@TempDir Path dir) throws Exception {
    refused("port 70000 is out of range", "serve", "--insecure", "--manifests", BOUTIQUE, "--http-port", "70000",
        "--state-dir", dir.toString());
    refused("--namespace filters a live cluster", "serve", "--insecure", "--manifests", BOUTIQUE, "--namespace",
        "shop", "--state-dir", dir.toString());
    Path file = Files.writeString(dir.resolve("file"), "x");
    refused("exists and is not a directory", "serve", "--insecure", "--manifests", BOUTIQUE, "--state-dir",
        file.toString());
  }
}
