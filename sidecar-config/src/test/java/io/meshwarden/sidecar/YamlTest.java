package io.meshwarden.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Yaml#dumpAll} writes the policy writers' documents itself ({@link BlockYaml}) and must give
 * exactly the bytes snakeyaml gives: compared on random documents built from the characters and
 * shapes that change a scalar's style, and on the shape of a generated NetworkPolicy, which must
 * take the direct path (the slow one is the reason it exists).
 */
class YamlTest {
  private static final BlockYaml BLOCK = new BlockYaml(
      new org.snakeyaml.engine.v2.schema.JsonSchema().getScalarResolver(), 128);

  /** Strings whose style snakeyaml decides differently: indicators, edge spaces, what reads back as another type. */
  private static final List<String> TRICKY = List.of(
      "", " ", "a", "-", "- a", "-a", "a-", "?", "? a", "?a", ":", ": a", ":a", "a:", "a: b", "a:b", "a :b", "#",
      "a#b", "a #b", "# a", ",", "a,b", "a, b", "[a]", "a[0]", "{a}", "a{b}", "&a", "*a", "!a", "|", ">", "'a",
      "a'b", "it's", "\"a", "a\"b", "%a", "@a", "`a", "---", "---a", "...", "...a", "a...", "a ", " a", "a  b",
      "true", "false", "True", "TRUE", "yes", "no", "on", "off", "null", "Null", "~", "0", "-0", "1", "-1", "+1",
      "007", "1.5", "${HOME}", "${ HOME }", "$HOME", "a${HOME}", "nul", "nulls", "t", "f", "n", "tru", "truex",
      "-", "-x", ".x", "0x", "9", "9a", "1-2", "9e9", "-1e-3", "1.5.6", "nan", "inf", ".infa", "false1", "nullx", "f", "-1.5", "1e3", "1E3", "1.0e+3", ".5", "0x1F", "0o17", ".inf", "-.Inf", ".nan", "1_000",
      "12:30", "2024-05-01", "2024-05-01T00:00:00Z", "0.0.0.0/0", "::/0", "10.0.0.0/8", "::1", "fe80::1",
      "app.kubernetes.io/name", "kubernetes.io/metadata.name", "ns-0/Deployment/wl-0", "14 in, 5 out",
      "ALL: every port restricted: Hubble flow log watched all of its ingress",
      "8080 (NetworkPolicy cannot select the kubelet; node-to-pod traffic is left to the CNI)",
      "a\tb", "a\nb", "a\n", "\n", "é", "naïve", "a\u0085b", "\u2028", "a\u0000", "\uD83D\uDE00",
      "k".repeat(122), "k".repeat(123), "k".repeat(127), "k".repeat(128), "k".repeat(300), "a b c d e f g ".repeat(20).trim());

  @Test
  void randomDocumentsAreWrittenAsSnakeyamlWritesThem() {
    Random random = new Random(8);
    for (int round = 0; round < 3000; round++) {
      List<Map<String, ?>> docs = new ArrayList<>();
      for (int d = random.nextInt(3) + 1; d > 0; d--) {
        docs.add(map(random, 0));
      }
      assertEquals(anchorsNumbered(Yaml.dumpAllWithSnakeyaml(docs)), anchorsNumbered(Yaml.dumpAll(docs)),
          "round " + round + ": " + docs);
    }
  }

  @Test
  void everyTrickyStringIsWrittenAsSnakeyamlWritesItAsKeyValueAndItem() {
    for (String s : TRICKY) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put(s, s);
      doc.put("list", List.of(s, Map.of(s, List.of(s))));
      doc.put("map", Map.of("k", s));
      List<Map<String, ?>> docs = List.of(doc);
      assertEquals(Yaml.dumpAllWithSnakeyaml(docs), Yaml.dumpAll(docs), s);
    }
  }

  @Test
  void aGeneratedNetworkPolicyTakesTheDirectPath() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", "meshwarden-allow-wl-0");
    metadata.put("namespace", "ns-0");
    metadata.put("annotations", Map.of("meshwarden.io/observed-flows", "14 in, 5 out",
        "meshwarden.io/ingress-scope", "ALL: every port restricted: Hubble flow log watched all of its ingress"));
    metadata.put("labels", Map.of("app.kubernetes.io/managed-by", "meshwarden"));
    Map<String, Object> peer = Map.of(
        "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "ns-0")),
        "podSelector", Map.of("matchLabels", Map.of("app", "svc-100", "version", "v1")));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("podSelector", Map.of());
    spec.put("policyTypes", List.of("Ingress", "Egress"));
    spec.put("ingress", List.of(Map.of("from", List.of(peer, Map.of("ipBlock", Map.of("cidr", "0.0.0.0/0"))),
        "ports", List.of(Map.of("port", 8080, "protocol", "TCP"), Map.of("port", 1, "endPort", 79,
            "protocol", "UDP")))));
    spec.put("egress", List.of(Map.of("ports", List.of(Map.of("protocol", "SCTP")))));
    Map<String, Object> doc = Yaml.object("networking.k8s.io/v1", "NetworkPolicy", metadata, spec);

    StringBuilder out = new StringBuilder();
    assertTrue(BLOCK.write(doc, out));
    assertEquals(Yaml.dumpAllWithSnakeyaml(List.of(doc)), "---\n" + out);
    assertTrue(out.toString().contains("""
        spec:
          egress:
          - ports:
            - protocol: SCTP
          ingress:
          - from:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: ns-0
        """), out.toString());
    assertTrue(out.toString().contains(
        "meshwarden.io/ingress-scope: 'ALL: every port restricted: Hubble flow log watched all of its ingress'\n"));
  }

  @Test
  void whatItDoesNotReproduceIsLeftUntouchedForSnakeyaml() {
    for (Map<?, ?> doc : List.<Map<?, ?>>of(Map.of(), Map.of("a", ""), Map.of("a", "é"), Map.of("a", "x\ny"),
        Map.of("k".repeat(123), "v"), Map.of("a", List.of(List.of("b"))), Map.of("a", 1.5),
        Map.of("a", List.of(), "b", List.of(Map.of("c", List.of()))),
        Map.of("a", java.util.Set.of("b")), Map.of(1, "a"))) {
      StringBuilder out = new StringBuilder("kept");
      assertFalse(BLOCK.write(doc, out), doc.toString());
      assertEquals("kept", out.toString());
    }
    assertNull(BLOCK.string(""));
    assertEquals("'true'", BLOCK.string("true"));
    assertEquals("'it''s: here'", BLOCK.string("it's: here"));
  }

  /**
   * Anchor names in order of appearance: snakeyaml's anchor counter lives in its settings and goes
   * on from one call to the next, so two calls name the same anchors differently.
   */
  private static String anchorsNumbered(String yaml) {
    Map<String, String> names = new HashMap<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([&*])(id\\d+)").matcher(yaml);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = names.computeIfAbsent(m.group(2), k -> "a" + names.size());
      m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(m.group(1) + name));
    }
    return m.appendTail(sb).toString();
  }

  private static Map<String, Object> map(Random random, int depth) {
    Map<String, Object> m = new HashMap<>();
    for (int n = random.nextInt(4) + (depth == 0 ? 1 : 0); n > 0; n--) {
      m.put(string(random), value(random, depth + 1));
    }
    return m;
  }

  private static Object value(Random random, int depth) {
    int kind = random.nextInt(depth > 4 ? 4 : 7);
    return switch (kind) {
      case 0, 1 -> string(random);
      case 2 -> random.nextBoolean() ? random.nextInt(70000) - 100 : random.nextBoolean();
      case 3 -> random.nextInt(20) == 0 ? 1L << 40 : random.nextInt(3);
      case 4, 5 -> map(random, depth);
      default -> {
        List<Object> l = new ArrayList<>();
        for (int n = random.nextInt(4); n > 0; n--) {
          l.add(random.nextInt(8) == 0 ? List.of() : value(random, depth + 1));
        }
        yield l;
      }
    };
  }

  private static String string(Random random) {
    if (random.nextInt(3) > 0) {
      return TRICKY.get(random.nextInt(TRICKY.size()));
    }
    String alphabet = "ab09 -:#'\",.?/[]{}!&*|>%@`~_\t\né";
    StringBuilder sb = new StringBuilder();
    for (int n = random.nextInt(6); n > 0; n--) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
