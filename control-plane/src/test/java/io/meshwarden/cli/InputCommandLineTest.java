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
