package io.meshwarden.ingest.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The block-YAML reader against snakeyaml: whatever it accepts, it must read exactly as the
 * general path does (values, types, the line of every mapping and key); what it cannot read that
 * way it must decline.
 */
class BlockYamlTest {
  private static final ScalarResolver RESOLVER = new CoreSchema().getScalarResolver();

  /** The general path's documents, rendered with their lines; or the error it raised. */
  private static String general(String text) {
    List<String> out = new ArrayList<>();
    try {
      boolean parsed = YamlDocuments.parseGeneral("f.yaml", text, d -> out.add(render(d)));
      return parsed ? String.join("\n", out) : "template";
    } catch (ManifestException e) {
      return "error: " + e.getMessage();
    }
  }

  /** The reader's documents, or null when it declined (having handed over nothing). */
  private static List<YamlDocuments.Document> read(String text, int linesBefore) {
    List<YamlDocuments.Document> docs = new ArrayList<>();
    if (!BlockYaml.read("f.yaml", text, linesBefore, RESOLVER, docs::add)) {
      assertTrue(docs.isEmpty(), "declined after handing documents over");
      return null;
    }
    return docs;
  }

  private static String fast(String text) {
    List<YamlDocuments.Document> docs = read(text, 0);
    if (docs == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    docs.forEach(d -> out.add(render(d)));
    return String.join("\n", out);
  }

  private static String render(YamlDocuments.Document d) {
    StringBuilder sb = new StringBuilder("doc@").append(d.origin().line()).append(' ');
    render(d.body(), sb);
    return sb.toString();
  }

  private static void render(Object o, StringBuilder sb) {
    if (o instanceof Node n) {
      sb.append("{@").append(n.line());
      for (Map.Entry<String, Object> e : n.entrySet()) {
        sb.append(' ').append(e.getKey()).append('@').append(n.lineOf(e.getKey())).append('=');
        render(e.getValue(), sb);
      }
      sb.append('}');
    } else if (o instanceof List<?> l) {
      sb.append('[');
      l.forEach(x -> {
        render(x, sb);
        sb.append(',');
      });
      sb.append(']');
    } else {
      sb.append(o == null ? "null" : o.getClass().getSimpleName() + ":" + o);
    }
  }

  /** Accepted texts read as the general path reads them; returns whether it was accepted. */
  private static boolean agrees(String text) {
    String fast = fast(text);
    if (fast == null) {
      return false;
    }
    assertEquals(general(text), fast, text);
    return true;
  }

  @Test
  void everyManifestOfTheRepository_isReadAsSnakeyamlReadsIt_orDeclined() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Stream.concat(Files.walk(Path.of("../manifests")), Files.walk(Path.of("src/test")))) {
      files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
    int accepted = 0;
    for (Path p : files) {
      String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
      if (agrees(text)) {
        accepted++;
      }
    }
    assertTrue(files.size() > 300, "corpus: " + files.size());
    // The point of the reader is the common case: most real manifests must take the fast path.
    assertTrue(accepted * 2 > files.size(), accepted + " of " + files.size() + " accepted");
    System.out.println("BlockYaml accepted " + accepted + " of " + files.size() + " files");
    assertTrue(agrees(Files.readString(
        Path.of("../manifests/examples/online-boutique/upstream/release/kubernetes-manifests.yaml"))));
  }

  @Test
  void theCommonShapes_areAccepted() {
    String[] accepted = {
        "a: 1\nb: true\nc: ~\nd: null\ne: 1.5\nf: 0x1F\ng: -3\nh: +4\ni: .inf\nj: 1e3\nk: 007\nl: TRUE\nm: yes\n",
        "# lead\n---\napiVersion: v1 # trailing\nkind: Service\nmetadata:\n  name: x\n  labels: {app: web, tier: \"db\"}\n",
        "spec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 80\n      name: http\n  - name: d\n",
        "spec:\n  ports:\n    - port: 80\n      targetPort: http\n    - 443\n  policyTypes: [Ingress, Egress]\n",
        "a: 'it''s'\nb: \"q\\\"uote \\\\ \\n \\u00e9\"\nc: \"\"\nd: ''\ne: \"x: y\"\nf: http://x:80/p#frag\n",
        "80: x\ntrue: y\n\"k\": z\n1.0: w\nnull: v\n",
        "---\n---\na: 1\n---\n# only a comment\n---\n- x\n- y: 1\n  z: 2\n-\n  w: 3\n- []\n- {}\n",
        "a:\nb:\n  c:\n  d: [1, \"2\", {e: f}, [g]]\n",
        "  indented: root\n  second: key\n",
        "list:\n- a\n-\n- b\nafter: 1\n",
        "key with spaces: value with spaces\nk2 : v2\n",
        "a: |\n  line 1\n\n   indented\n  # not a comment\nb: |-\n  x\n\n\nc: |+\n  y\n\n\nd: 1\n",
        "s:\n- |\n  echo hi\n  exit 0\n- | # header comment\n    deeper\n",
        "a: 1\r\nb:\r\n  c: [x]\r\n",
    };
    for (String t : accepted) {
      assertNotNull(fast(t), t);
      assertTrue(agrees(t), t);
    }
  }

  @Test
  void whatItCannotReadAsSnakeyamlDoes_isDeclined() {
    String[] declined = {
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: |2\n  text\n",
        "a: |\n  text",
        "a: |\n\nb: 1\n",
        "a: |\n     \n  text\n",
        "a: >-\n  folded\n",
        "a: 1\rb: 2\n",
        "a: plain\n  continued\n",
        "a: \"open\n  quote\"\n",
        "a: 1\na: 2\n",
        "a:\n  b: 1\n c: 2\n",
        "a: b: c\n",
        "a:\tb\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n...\n",
        "a: {{ .Values.x }}\n",
        "- - a\n",
        "? complex\n: key\n",
        "a: [1, 2,]\n",
        "a: [1,\n  2]\n",
        "<<: {a: 1}\n",
        "--- a: 1\n",
        "---x: 1\n",
        "just a scalar\n",
        "{\"json\": true}\n",
        "a:\n  - 1\n  b: 2\n",
        "a: \"\\x41\"\n",
        "a: 1\n  b: 2\n",
    };
    for (String t : declined) {
      assertNull(fast(t), t);
    }
  }

  @Test
  void linesAfterTheFirstLinesOfAStream_areCountedFromTheStream() {
    List<YamlDocuments.Document> docs = read("a:\n  b: 1\n", 10);
    assertNotNull(docs);
    assertEquals(11, docs.get(0).origin().line());
    assertEquals(12, ((Node) ((Node) docs.get(0).body()).get("a")).lineOf("b"));
  }

  @Test
  void mutations_ofTheCommonShapes_areReadAsSnakeyamlReadsThem_orDeclined() {
    // Every prefix and every single-character deletion of a representative manifest: a reader
    // that accepts a broken text or misplaces a line fails here.
    String base = """
        # a comment
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: "np-1"
          labels: {app: web, "tier": db}
        spec:
          podSelector:
            matchLabels:
              app: web
          policyTypes: [Ingress, Egress]
          ingress:
          - from:
            - podSelector: {}
              namespaceSelector:
                matchLabels: {kubernetes.io/metadata.name: 'ns-1'}
            ports:
            - port: 8080
              protocol: TCP
            - port: http # named
        ---
        - 1
        - x: y
        """;
    int checked = 0;
    for (int i = 0; i <= base.length(); i++) {
      agrees(base.substring(0, i));
      if (i < base.length()) {
        agrees(base.substring(0, i) + base.substring(i + 1));
        agrees(base.substring(0, i) + " " + base.substring(i));
      }
      checked++;
    }
    assertTrue(checked > 300, "positions: " + checked);
  }
}
