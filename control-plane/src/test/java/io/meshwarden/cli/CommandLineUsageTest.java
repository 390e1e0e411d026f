package io.meshwarden.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.cli.MeshwardenCommandTest.Run;
import org.junit.jupiter.api.Test;

/** Mistakes on the command line get an answer that helps. */
class CommandLineUsageTest {
  private static final String BOUTIQUE =
      "../manifests/examples/online-boutique/derived/kustomize-base+network-policies.rendered.yaml";

  @Test
  void explain_suggestsTheNearestWorkloadForATypo() {
    Run r = MeshwardenCommandTest.run("explain", "-f", BOUTIQUE, "frontnd", "cartservice:7070");
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("did you mean default/frontend[Deployment]?"), r.err());
    Run far = MeshwardenCommandTest.run("explain", "-f", BOUTIQUE, "zzzzzzzz", "cartservice:7070");
    assertFalse(far.err().contains("did you mean"), far.err());
  }

  @Test
  void anUnknownOption_isCalledUnknown_evenWhenARequiredOneIsMissing() {
    for (String command : new String[] {"analyze", "connectivity", "generate", "dry-run", "explain", "diff"}) {
      Run r = MeshwardenCommandTest.run(command, "--flie", "x.yaml");
      assertEquals(ExitCodes.USAGE, r.code(), command);
      assertTrue(r.err().contains("Unknown option: '--flie'"), command + ": " + r.err());
      assertFalse(r.err().contains("Missing required option"), command + ": " + r.err());
    }
  }

  @Test
  void theArchitecturePage_listsExactlyTheCommandsThatExist() throws Exception {
    String page = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/architecture.md"));
    String section = page.substring(page.indexOf("## Command line"), page.indexOf("## As built"));
    java.util.Set<String> listed = new java.util.TreeSet<>();
    for (String line : section.lines().filter(l -> l.startsWith("- ")).toList()) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("`([a-z][a-z-]*)`")
          .matcher(line.substring(0, line.indexOf(" — ")));
      while (m.find()) {
        listed.add(m.group(1));
      }
    }
    java.util.Set<String> existing = new java.util.TreeSet<>();
    for (Class<?> c : MeshwardenCommand.class.getAnnotation(picocli.CommandLine.Command.class).subcommands()) {
      existing.add(c.getAnnotation(picocli.CommandLine.Command.class).name());
    }
    existing.remove("help");
    assertEquals(existing, listed);
  }
}
