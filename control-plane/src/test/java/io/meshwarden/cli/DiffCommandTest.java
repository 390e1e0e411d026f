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
}
