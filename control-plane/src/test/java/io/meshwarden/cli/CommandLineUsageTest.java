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
  void explain_takesTwoSwappedLettersForOneSlip(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    // "wbe" is two Levenshtein edits from both "web" and "db"; swapped letters make it web's.
    java.nio.file.Files.writeString(dir.resolve("apps.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: db, namespace: shop}
        spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c}]}}}
        """);
    Run r = MeshwardenCommandTest.run("explain", "-q", "-f", dir.toString(), "shop/wbe", "shop/db:5432");
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("did you mean shop/web[Deployment]?"), r.err());
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

  @Test
  void helpTexts_areWholeSentences_andSharedOptionsAreDeclaredOnce() {
    java.util.List<String> bad = new java.util.ArrayList<>();
    picocli.CommandLine top = new picocli.CommandLine(MeshwardenCommand.class, new picocli.CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        for (var c : cls.getDeclaredConstructors()) {
          c.setAccessible(true);
          Object[] args = new Object[c.getParameterCount()];
          for (int i = 0; i < args.length; i++) {
            Class<?> t = c.getParameterTypes()[i];
            args[i] = t == java.io.InputStream.class ? java.io.InputStream.nullInputStream()
                : t == java.io.OutputStream.class ? java.io.OutputStream.nullOutputStream()
                : t == TrafficSource.class ? new TrafficSource() : null;
          }
          return cls.cast(c.newInstance(args));
        }
        return picocli.CommandLine.defaultFactory().create(cls);
      }
    });
    for (var e : top.getSubcommands().entrySet()) {
      var spec = e.getValue().getCommandSpec();
      for (var o : spec.options()) {
        String text = String.join(" ", o.description()).strip();
        if (!text.isEmpty() && !(Character.isUpperCase(text.charAt(0)) || text.startsWith("-"))
            || !text.isEmpty() && !text.endsWith(".")) {
          bad.add(e.getKey() + " " + o.longestName() + ": " + text);
        }
      }
      if (java.util.Set.of("analyze", "connectivity", "generate", "dry-run", "explain", "diff").contains(e.getKey())) {
        assertTrue(spec.mixins().containsKey("manifests"), e.getKey() + " declares -f itself");
        assertTrue(spec.mixins().containsKey("quietOption"), e.getKey() + " declares -q itself");
        assertTrue(spec.mixins().get("manifests").optionsMap().containsKey("--keep-going"),
            e.getKey() + " has no --keep-going of ManifestOptions");
      }
      if (java.util.Set.of("serve", "demo").contains(e.getKey())) {
        assertTrue(spec.mixins().containsKey("listeners"), e.getKey() + " declares its listener options itself");
      }
    }
    assertEquals(java.util.List.of(), bad);
  }

  @Test
  void everyHelpText_namesPlaceholdersInOneStyle() {
    Run top = MeshwardenCommandTest.run("--help");
    java.util.List<String> commands = top.out().lines().dropWhile(l -> !l.startsWith("Commands:")).skip(1)
        .filter(l -> l.matches("  [a-z][a-z-]+ .*")).map(l -> l.strip().split(" ")[0]).toList();
    assertTrue(commands.contains("generate") && commands.contains("bench"), top.out());
    for (String command : commands) {
      Run help = MeshwardenCommandTest.run(command, "--help");
      java.util.regex.Matcher field = java.util.regex.Pattern.compile("[= ]<[a-zA-Z]+>").matcher(help.out());
      assertFalse(field.find(), command + " shows a Java field name as a placeholder: " + help.out());
    }
    assertTrue(MeshwardenCommandTest.run("explain", "--help").out().contains("--trust-domain=TRUST_DOMAIN"));
    assertEquals("--max-rules-per-workload=MAX_RULES", Placeholders.label("--max-rules-per-workload=<maxRules>"));
    assertEquals("-f=PATH", Placeholders.label("-f=PATH"));
  }

  @Test
  void serveAndDemo_shareTheListenerOptions_eachWithItsOwnDefaultPorts() {
    ServeCommand serve = new ServeCommand();
    new picocli.CommandLine(serve).parseArgs("--insecure");
    assertEquals(java.util.List.of(18000, 18001, 8080, "127.0.0.1"), java.util.List.of(serve.listeners.xdsPort,
        serve.listeners.alsPort, serve.listeners.httpPort, serve.listeners.host));
    DemoCommand demo = new DemoCommand();
    new picocli.CommandLine(demo).parseArgs("--als-port", "9000");
    assertEquals(java.util.List.of(0, 9000, 8080, "127.0.0.1"), java.util.List.of(demo.listeners.xdsPort,
        demo.listeners.alsPort, demo.listeners.httpPort, demo.listeners.host));
    Run help = MeshwardenCommandTest.run("serve", "--help");
    assertTrue(help.out().contains("ADS port; 0 picks a free one (default: 18000)."), help.out());
    Run demoHelp = MeshwardenCommandTest.run("demo", "--help");
    assertTrue(demoHelp.out().contains("ADS port; 0 picks a free one (default: 0)."), demoHelp.out());
  }
}
