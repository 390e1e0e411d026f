package io.meshwarden.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line as a user meets it: exit codes, help, formats, errors naming file and line. */
class MeshwardenCommandTest {
  private static final String BOUTIQUE =
      "../manifests/examples/online-boutique/derived/kustomize-base+network-policies.rendered.yaml";

  record Run(int code, String out, String err) {}

  static Run run(InputStream in, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = MeshwardenCommand.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Run run(String... args) {
    return run(new ByteArrayInputStream(new byte[0]), args);
  }

  @Test
  void version_andHelp() {
    Run v = run("--version");
    assertEquals(0, v.code());
    assertTrue(v.out().startsWith("meshwarden "), v.out());
    Run h = run("connectivity", "--help");
    assertEquals(0, h.code());
    assertTrue(h.out().contains("--focus-workload"), h.out());
    assertTrue(run("--help").out().contains("Exit codes"));
  }

  @Test
  void connectivity_onOnlineBoutique_txtAndJson() {
    Run txt = run("connectivity", "-f", BOUTIQUE);
    assertEquals(0, txt.code(), txt.err());
    assertTrue(txt.out().contains("default/cartservice[Deployment] => default/redis-cart[Deployment] : TCP 6379\n"),
        txt.out());
    Run json = run("connectivity", "-f", BOUTIQUE, "-o", "json");
    assertTrue(json.out().startsWith("[\n  {\n    \"src\": "), json.out());
    Run focused = run("connectivity", "-f", BOUTIQUE, "--focus-workload", "redis-cart", "--focus-direction", "ingress");
    assertEquals("default/cartservice[Deployment] => default/redis-cart[Deployment] : TCP 6379\n", focused.out());
  }

  @Test
  void stdin_isReadForDash() {
    String yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n---\n"
        + "apiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec: {containers: []}\n";
    Run r = run(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "connectivity", "-f", "-", "-q");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("default/a[Pod] => default/b[Pod] : All Connections"), r.out());
  }

  @Test
  void malformedInput_exitsThreeNamingFileAndLine() {
    String yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\n";
    Run r = run(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "connectivity", "-f", "-");
    assertEquals(3, r.code());
    assertTrue(r.err().contains("<stdin>:"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void badOptions_exitTwo() {
    assertEquals(2, run("connectivity", "-f", BOUTIQUE, "-o", "xml").code());
    assertEquals(2, run("connectivity", "-f", BOUTIQUE, "--focus-conn", "tcp-99999").code());
    assertEquals(2, run("connectivity").code());
    assertEquals(2, run("no-such-command").code());
  }
}
