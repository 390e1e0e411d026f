package io.meshwarden.ingest.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.bench.SyntheticCluster;
import io.meshwarden.bench.SyntheticManifests;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The one-pass reader ({@link EventTrees}), alone and after {@link BlockYaml}, hands over exactly
 * what the two-pass reader does: the same documents with the same lines of mappings and keys, or
 * the same error, or the same "template" answer.
 */
class YamlDocumentsTest {
  private static final List<String> INPUTS = List.of(
      "",
      "# only a comment\n",
      "---\n---\n...\n",
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n"
          + "  name: b\n  labels: {x: y}\n",
      "a: yes\nb: no\nc: on\nd: 0x1F\ne: 0o17\nf: 1_000\ng: +1\nh: -1\ni: 1.5\nj: .5\nk: 1e3\nl: .inf\n"
          + "m: -.Inf\nn: .nan\no: ~\np: null\nq: Null\nr: NULL\ns:\nt: true\nu: True\nv: TRUE\nw: tRUE\n"
          + "x: ${ENV}\ny: $x\nz: 2147483648\naa: -2147483649\nab: 9223372036854775808\nac: 12:30\nad: 010\n"
          + "ae: nothing\naf: ~x\nag: '<<'\nah: <<\nai: +\naj: -\nak: .\nal: 1.\nam: FALSE\nan: nULL\n",
      "80: a\ntrue: b\nnull: c\n~x: d\n1.0: e\n'quoted': f\n\"dq\": g\n? plain\n: h\n",
      "a: '80'\nb: \"true\"\nc: |\n  line\n  two\n\nd: >\n  folded\n  text\n",
      "keep: |+\n  kept\n\n\n---\nstrip: >-\n  x\n\n---\nlast: |\n  x\n",
      "a: !!str 5\nb: !!int \"5\"\nc: !!int 5\nd: !!float 1\ne: !foo bar\nf: ! 5\ng: !!null ''\nh: !!bool yes\n",
      "a: &x {b: 1}\nc: *x\n",
      "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n",
      "a: 1\na: 2\n",
      "1: a\n'1': b\n",
      "? [a, b]\n: c\n",
      "? {a: b}\n: c\n",
      "a: [1,\n---\nb: 2]\n",
      "a: \"open\n---\nb: 2\n",
      "a: 'open\n---\nb: 2\n",
      "ok: 1\n---\nalso: ok\n---\nbad: [\n",
      "ok: 1\n---\nx: y: z\n",
      "\tkey: tab\n",
      "kind: {{ .Values.kind }}\n",
      "name: \"{{ .Values.name }}\"\n",
      "a: 1\r\n---\r\nb: 2\r\nc:\r\n  d: 3\r\n---\r\ne: [1, 2]\r\n",
      "a: 1\r---\rb: 2\r",
      "\uFEFFa: 1\n---\nb: 2\n",
      "a: \"x\u2028y\"\n---\nb: 2\n",
      "--- |\n  text\n---\nb: 1\n",
      "--- >\n folded\n---\n--- # comment\nc: 1\n",
      "---x: 1\n",
      "a: 1\n---x\n",
      "%YAML 1.2\n---\na: 1\n---\nb: 2\n",
      "%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n---\nb: 2\n",
      "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n  {\"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}}\n]}\n",
      "a: 1\n...\n---\nb: 2\n...\n",
      "a: {b: [1, 2,\n  3], c: {d: e}}\n",
      "- 1\n- [2, 3]\n- {a: b}\n---\njust a scalar\n---\n- - - deep\n",
      "a:\n- b: 1\n  c: 2\n- d\nk: v\n",
      "plain multi\n  line scalar\n---\nx: y\n",
      "[".repeat(101) + "]".repeat(101) + "\n",
      "[".repeat(100) + "]".repeat(100) + "\n",
      "a: 1\n---\n" + "[".repeat(5000) + "\n",
      "a: " + "x".repeat(YamlDocuments.MAX_SCALAR_CHARS + 1) + "\n",
      "a: " + "x".repeat(YamlDocuments.MAX_SCALAR_CHARS) + "\n",
      "a: &a [*a, *a]\nkind: X\n",
      "a: *undefined\n",
      "a: b\n---\n- &x [1]\n- " + "*x, ".repeat(3) + "\n");

  @Test
  void theOnePassReaderReadsWhatTheTwoPassReaderReads() {
    for (String yaml : INPUTS) {
      String expected = twoPass(yaml);
      assertEquals(expected, read(yaml), yaml);
      assertEquals(expected, general(yaml), yaml);
    }
  }

  @Test
  void aGeneratedClusterReadsTheSame(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cluster.yaml");
    SyntheticManifests.writeCluster(new SyntheticCluster.Spec(5, 60, 30, 0.2, 7), file);
    String yaml = Files.readString(file);
    String expected = twoPass(yaml);
    assertTrue(expected.length() > yaml.length() / 2, "the cluster was read");
    assertEquals(expected, read(yaml));
    assertEquals(expected, general(yaml));
  }

  @Test
  void aSyntaxErrorLateInAFileHandsOverNothingAndNamesItsLine() {
    String yaml = "a: 1\n---\nb: 2\n---\nc: 3\n---\nd: [\n";
    List<Object> handed = new ArrayList<>();
    ManifestException e = assertThrows(ManifestException.class, () -> YamlDocuments.parse("f.yaml",
        new StringReader(yaml), d -> d, handed::add));
    assertTrue(e.getMessage().startsWith("f.yaml:8: malformed YAML: "), e.getMessage());
    assertEquals("error " + e.getMessage(), twoPass(yaml));
    assertEquals(List.of(), handed);
  }

  /** What the two-pass reader hands over, or its error. */
  private static String twoPass(String yaml) {
    LoadSettings settings = LoadSettings.builder().setLabel("f.yaml").setAllowDuplicateKeys(false)
        .setMaxAliasesForCollections(50).setCodePointLimit(YamlDocuments.MAX_DOCUMENT_CHARS)
        .setBufferSize(Math.max(1024, Math.min(yaml.length() + 1, 1 << 20))).setSchema(new CoreSchema()).build();
    StringBuilder out = new StringBuilder();
    try {
      boolean parsed = YamlDocuments.parseTwoPass("f.yaml", yaml, settings, d -> render(d, out));
      return parsed ? out.toString() : "template";
    } catch (ManifestException e) {
      return "error " + e.getMessage();
    }
  }

  /** What {@link YamlDocuments#parse} hands over, or its error. */
  private static String read(String yaml) {
    StringBuilder out = new StringBuilder();
    try {
      boolean parsed = YamlDocuments.parse("f.yaml", new StringReader(yaml), d -> d, d -> render(d, out));
      return parsed ? out.toString() : "template";
    } catch (ManifestException e) {
      return "error " + e.getMessage();
    }
  }

  /** What snakeyaml's reader hands over (one pass when {@link EventTrees} reads it), or its error. */
  private static String general(String yaml) {
    StringBuilder out = new StringBuilder();
    try {
      return YamlDocuments.parseGeneral("f.yaml", yaml, d -> render(d, out)) ? out.toString() : "template";
    } catch (ManifestException e) {
      return "error " + e.getMessage();
    }
  }

  private static void render(YamlDocuments.Document d, StringBuilder out) {
    out.append(d.origin()).append(' ');
    render(d.body(), out);
    out.append('\n');
  }

  /** A tree with every mapping's line, every key's line and every scalar's Java type. */
  private static void render(Object v, StringBuilder out) {
    if (v instanceof Node n) {
      out.append('@').append(n.line()).append('{');
      for (Map.Entry<String, Object> e : n.entrySet()) {
        out.append(e.getKey()).append('@').append(n.lineOf(e.getKey())).append('=');
        render(e.getValue(), out);
        out.append(", ");
      }
      out.append('}');
    } else if (v instanceof List<?> l) {
      out.append('[');
      for (Object o : l) {
        render(o, out);
        out.append(", ");
      }
      out.append(']');
    } else {
      out.append(v == null ? "null" : v.getClass().getSimpleName() + ":" + v);
    }
  }
}
