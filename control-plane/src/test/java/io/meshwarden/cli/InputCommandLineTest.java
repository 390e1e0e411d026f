package io.meshwarden.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.cli.MeshwardenCommandTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input through the command line: exit codes and messages for what users bring. */
class InputCommandLineTest {
  private static final String POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: shop}\n"
      + "spec: {containers: []}\n";
  private static final String POLICY = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
      + "metadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";

  @Test
  void emptyInput_exits3_insteadOfReportingNoFindings(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("values.yaml"), "replicaCount: 1\n");
    for (String command : new String[] {"analyze", "connectivity"}) {
      Run r = MeshwardenCommandTest.run(command, "-f", dir.toString());
      assertEquals(ExitCodes.BAD_INPUT, r.code(), command + ": " + r.out());
      assertTrue(r.err().contains("no Kubernetes object found"), r.err());
      assertFalse(r.out().contains("No findings"), r.out());
    }
  }

  @Test
  void keepGoing_turnsInputErrorsIntoWarnings_andExits0(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.yaml"), POD + "---\n" + POLICY);
    Files.writeString(dir.resolve("b.yaml"), POLICY.replace("[Ingress]", "[Egress]"));
    Run strict = MeshwardenCommandTest.run("connectivity", "-f", dir.toString());
    assertEquals(ExitCodes.BAD_INPUT, strict.code(), strict.err());
    assertTrue(strict.err().contains("two different NetworkPolicies named shop/deny"), strict.err());
    for (String command : new String[] {"analyze", "connectivity"}) {
      Run r = MeshwardenCommandTest.run(command, "-f", dir.toString(), "--keep-going");
      assertEquals(ExitCodes.OK, r.code(), command + ": " + r.err());
      assertTrue(r.err().contains("warning: " + dir.resolve("b.yaml") + ":1: two different NetworkPolicies"), r.err());
      assertFalse(r.err().contains("error:"), r.err());
    }
  }

  private static final String M = "../manifests/examples/online-boutique/";
  private static final String APP = M + "upstream/release/kubernetes-manifests.yaml";
  private static final String SLICES = M + "flows/endpointslices.yaml";
  private static final String FLOWS = M + "flows/envoy-inbound-access-log.jsonl";
  /** Two different NetworkPolicies with one name: an input error. */
  private static final String TWO_DENY = """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: deny, namespace: default}
      spec: {podSelector: {}, policyTypes: [Ingress]}
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: deny, namespace: default}
      spec: {podSelector: {}, policyTypes: [Egress]}
      """;

  /**
   * Every command that reads manifests accepts --keep-going with analyze's meaning: the error is a
   * warning, printed once (diff reads the manifests once per policy set), and the command goes on;
   * -q is one shared option that silences it.
   */
  @Test
  void keepGoing_meansTheSameInEveryCommandThatReadsManifests(@TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), TWO_DENY);
    Path none = Files.writeString(dir.resolve("none.yaml"), POLICY.replace("namespace: shop", "namespace: default"));
    Path out = dir.resolve("np.yaml");
    String[][] commands = {
        {"generate", "-f", APP, "-f", SLICES, "-f", bad.toString(), "--flows", FLOWS, "-o", "networkpolicy",
            "--output-file", out.toString()},
        {"dry-run", "-f", APP, "-f", SLICES, "-f", bad.toString(), "--policy", none.toString(), "--flows", FLOWS},
        {"diff", "-f", APP, "-f", bad.toString(), none.toString(), none.toString()},
        {"explain", "-f", APP, "-f", bad.toString(), "frontend", "cartservice:7070"},
    };
    String warning = "warning: " + bad + ":6: two different NetworkPolicies named default/deny";
    for (String[] args : commands) {
      Run strict = MeshwardenCommandTest.run(args);
      assertEquals(ExitCodes.BAD_INPUT, strict.code(), args[0] + ": " + strict.err());
      assertTrue(strict.err().contains("two different NetworkPolicies named default/deny"), strict.err());
      String[] keepGoing = java.util.Arrays.copyOf(args, args.length + 1);
      keepGoing[args.length] = "--keep-going";
      Run r = MeshwardenCommandTest.run(keepGoing);
      assertTrue(r.code() != ExitCodes.BAD_INPUT && r.code() != ExitCodes.USAGE, args[0] + ": " + r.code() + r.err());
      assertEquals(1, r.err().split(java.util.regex.Pattern.quote(warning), -1).length - 1,
          args[0] + " prints the warning once: " + r.err());
      String[] quiet = java.util.Arrays.copyOf(keepGoing, keepGoing.length + 1);
      quiet[keepGoing.length] = "-q";
      Run q = MeshwardenCommandTest.run(quiet);
      assertEquals(r.code(), q.code(), args[0] + ": " + q.err());
      assertFalse(q.err().contains("warning:"), args[0] + ": " + q.err());
    }
  }

  @Test
  void policySetsReadApartFromTheCluster_doNotWarnThatThereIsNoPolicy(@TempDir Path dir) throws Exception {
    Path cluster = Files.writeString(dir.resolve("cluster.yaml"), POD);
    Path old = Files.writeString(dir.resolve("old.yaml"), POLICY);
    Path proposed = Files.writeString(dir.resolve("new.yaml"), POLICY.replace("[Ingress]", "[Ingress, Egress]"));
    Run diff = MeshwardenCommandTest.run("diff", "-f", cluster.toString(), old.toString(), proposed.toString());
    assertFalse(diff.err().contains("no relevant Kubernetes network policy"), diff.err());
    // Without any policy, the warning still comes, once.
    Run none = MeshwardenCommandTest.run("connectivity", "-f", cluster.toString());
    assertEquals(1, none.err().split("no relevant Kubernetes network policy", -1).length - 1, none.err());
  }

  @Test
  void toolFilesInADirectory_areNotedOnStderr(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("pod.yaml"), POD);
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: [pod.yaml]\n");
    Run r = MeshwardenCommandTest.run("connectivity", "-f", dir.toString());
    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertTrue(r.err().contains("note: " + dir.resolve("kustomization.yaml") + ": skipped a Kustomize configuration"),
        r.err());
  }
}
