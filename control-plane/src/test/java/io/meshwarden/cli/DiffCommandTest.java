package io.meshwarden.cli;

import static io.meshwarden.cli.MeshwardenCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** diff reads its three inputs side by side and compares runs of sources on several threads. */
class DiffCommandTest {
  private static final String NOTHING = """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: selects-nothing, namespace: ns0}
      spec:
        podSelector: {matchLabels: {app: none}}
        policyTypes: [Ingress]
      """;

  /** {@code n} Deployments over three namespaces, each with its own labels, so each is its own peer class. */
  private static String cluster(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("""
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: app%1$d, namespace: ns%2$d}
          spec:
            selector: {matchLabels: {app: app%1$d}}
            template:
              metadata: {labels: {app: app%1$d}}
              spec:
                containers:
                - name: c
                  image: x
                  ports: [{containerPort: 80}]
          """.formatted(i, i % 3));
    }
    return sb.toString();
  }

  private static String denyAll() {
    StringBuilder sb = new StringBuilder();
    for (int ns = 0; ns < 3; ns++) {
      sb.append("""
          ---
          apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: {name: deny-all, namespace: ns%d}
          spec:
            podSelector: {}
            policyTypes: [Ingress, Egress]
          """.formatted(ns));
    }
    return sb.toString();
  }

  @Test
  void manyRunsOfSources_printEveryPairInOrder_asConnectivityListsThem(@TempDir Path dir) throws Exception {
    // 400 workloads are 160,000 pairs: several runs of sources, compared on the workers, written in order.
    Path app = Files.writeString(dir.resolve("app.yaml"), cluster(400));
    Path deny = Files.writeString(dir.resolve("deny.yaml"), denyAll());
    Path open = Files.writeString(dir.resolve("open.yaml"), NOTHING);
    MeshwardenCommandTest.Run d = run("diff", "-q", "-f", app.toString(), deny.toString(), open.toString());
    assertEquals(1, d.code(), d.err());
    MeshwardenCommandTest.Run c = run("connectivity", "-q", "-f", app.toString());
    assertEquals(0, c.code(), c.err());
    List<String> expected = new ArrayList<>();
    c.out().lines().forEach(l -> expected.add("+ " + l));
    List<String> got = new ArrayList<>(d.out().lines().toList());
    String summary = got.remove(got.size() - 1);
    assertEquals(expected.size(), got.size());
    assertEquals(expected, got);
    assertEquals(expected.size() + " added, 0 removed, 0 changed", summary);
    assertTrue(expected.size() >= 400 * 399, "every pair of workloads, and the internet: " + expected.size());
  }

  @Test
  void anErrorInTheManifests_isReported_notOneInAPolicySetReadBesideThem(@TempDir Path dir) throws Exception {
    Path app = Files.writeString(dir.resolve("app.yaml"), "kind: Deployment\nmetadata: {name: [\n");
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "a: b: c\n");
    Path open = Files.writeString(dir.resolve("open.yaml"), NOTHING);
    MeshwardenCommandTest.Run r = run("diff", "-f", app.toString(), bad.toString(), open.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().startsWith("meshwarden diff: " + app), r.err());
    assertTrue(!r.err().contains("bad.yaml"), r.err());
  }

  @Test
  void theManifestsWarnings_printBeforeTheErrorOfAPolicySet(@TempDir Path dir) throws Exception {
    // A ConfigMap is skipped with a note of the manifests; NEW is malformed.
    Path app = Files.writeString(dir.resolve("app.yaml"), cluster(2) + """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: ns0}
        data: {a: b}
        """);
    Path open = Files.writeString(dir.resolve("open.yaml"), NOTHING);
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "a: b: c\n");
    MeshwardenCommandTest.Run r = run("diff", "-f", app.toString(), open.toString(), bad.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    List<String> lines = r.err().lines().toList();
    assertTrue(lines.size() >= 2, r.err());
    assertTrue(lines.get(lines.size() - 1).startsWith("meshwarden diff: " + bad + ":1"), r.err());
    assertTrue(lines.get(0).startsWith("info: skipped objects") && lines.get(0).contains("ConfigMap=1"), r.err());
  }

  /** Per workload an egress policy to the workload {@code step} further on, on {@code port}. */
  private static String egressTo(int n, int step, java.util.function.IntUnaryOperator port) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int j = (i + step) % n;
      sb.append("""
          ---
          apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: {name: out-%1$d, namespace: ns%2$d}
          spec:
            podSelector: {matchLabels: {app: app%1$d}}
            policyTypes: [Egress]
            egress:
            - to:
              - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ns%3$d}}
                podSelector: {matchLabels: {app: app%4$d}}
              ports: [{port: %5$d}]
          """.formatted(i, i % 3, j % 3, j, port.applyAsInt(i)));
    }
    return sb.toString();
  }

  /** What diff must print for two connectivity listings, in its order: source, then destination. */
  private static List<String> expectedDiff(String before, String after) {
    java.util.Map<String, String> b = pairs(before);
    java.util.Map<String, String> a = pairs(after);
    java.util.TreeSet<String[]> keys = new java.util.TreeSet<>(
        java.util.Comparator.<String[], String>comparing(k -> k[0]).thenComparing(k -> k[1]));
    for (String k : b.keySet()) {
      keys.add(k.split(" => ", 2));
    }
    for (String k : a.keySet()) {
      keys.add(k.split(" => ", 2));
    }
    List<String> out = new ArrayList<>();
    for (String[] k : keys) {
      String key = k[0] + " => " + k[1];
      String x = b.get(key);
      String y = a.get(key);
      if (x == null) {
        out.add("+ " + key + " : " + y);
      } else if (y == null) {
        out.add("- " + key + " : " + x);
      } else if (!x.equals(y)) {
        out.add("~ " + key + " : " + x + " -> " + y);
      }
    }
    return out;
  }

  private static java.util.Map<String, String> pairs(String listing) {
    java.util.Map<String, String> m = new java.util.HashMap<>();
    listing.lines().forEach(l -> {
      int c = l.lastIndexOf(" : ");
      m.put(l.substring(0, c), l.substring(c + 3));
    });
    return m;
  }

  @Test
  void sparseRowsOnBothSides_printWhatTheTwoListingsDiffer_inOrder(@TempDir Path dir) throws Exception {
    // Under default-deny-like egress each source reaches one workload in each set: diff walks only
    // those, and must print what comparing the two full connectivity listings prints.
    int n = 300;
    Path app = Files.writeString(dir.resolve("app.yaml"), cluster(n));
    Path before = Files.writeString(dir.resolve("before.yaml"), egressTo(n, 1, i -> 80));
    Path after = Files.writeString(dir.resolve("after.yaml"), egressTo(n, 1, i -> i % 2 == 0 ? 80 : 81)
        .replace("name: out-", "name: keep-") + egressTo(n, 2, i -> 80));
    MeshwardenCommandTest.Run d = run("diff", "-q", "-f", app.toString(), before.toString(), after.toString());
    assertEquals(1, d.code(), d.err());
    String b = run("connectivity", "-q", "-f", app.toString(), "-f", before.toString()).out();
    String a = run("connectivity", "-q", "-f", app.toString(), "-f", after.toString()).out();
    List<String> expected = expectedDiff(b, a);
    List<String> got = new ArrayList<>(d.out().lines().toList());
    got.remove(got.size() - 1);
    assertEquals(expected, got);
    assertTrue(got.stream().anyMatch(l -> l.startsWith("~ ")) && got.stream().anyMatch(l -> l.startsWith("+ ")), d.out());
  }
}
