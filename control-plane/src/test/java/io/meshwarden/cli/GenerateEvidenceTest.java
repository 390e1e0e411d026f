package io.meshwarden.cli;

import static io.meshwarden.cli.MeshwardenCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate} as the README runs it: evidence before policy. */
class GenerateEvidenceTest {
  private static final String M = "../manifests/examples/online-boutique/";
  private static final String APP = M + "upstream/release/kubernetes-manifests.yaml";
  private static final String SLICES = M + "flows/endpointslices.yaml";
  private static final String FLOWS = M + "flows/envoy-inbound-access-log.jsonl";
  private static final String HUBBLE =
      "../graph-analyzer/src/test/resources/observed-traffic/hubble-flows/basic-sample-400-tcp-flows.json";

  /** Runs generate into an existing file; the refusal must leave it untouched and be printed despite -q. */
  private static void assertRefused(Path dir, String flows, String format, String... expected) throws Exception {
    Path out = dir.resolve("np.yaml");
    Files.writeString(out, "previous\n");
    MeshwardenCommandTest.Run r = run("generate", "-f", APP, "-f", SLICES, "--flows", flows, "--flow-format", format,
        "-o", "networkpolicy", "--output-file", out.toString(), "-q");
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("no usable flow evidence") && r.err().contains(flows), r.err());
    for (String e : expected) {
      assertTrue(r.err().contains(e), r.err());
    }
    assertEquals("previous\n", Files.readString(out), "nothing written");
    assertEquals("", r.out());
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary file left behind");
    }
  }

  @Test
  void emptyFlows_areRefused(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
    Path sub = Files.createDirectory(dir.resolve("out"));
    assertRefused(sub, empty.toString(), "auto", ": empty");
  }

  @Test
  void garbageAndBinaryFlows_areRefused_withTheCountOfBadLines(@TempDir Path dir) throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.log"), "this is\nnot a flow log\nat all\n");
    Path sub = Files.createDirectory(dir.resolve("out"));
    assertRefused(sub, garbage.toString(), "auto", "3 record(s), 3 bad");
    byte[] junk = new byte[8192];
    new Random(3).nextBytes(junk);
    Path bin = Files.write(dir.resolve("flows.bin"), junk);
    assertRefused(sub, bin.toString(), "auto", " bad, no flow");
  }

  @Test
  void hubbleReadAsEnvoyJson_isRefused_withTheFlagThatReadsIt(@TempDir Path dir) throws Exception {
    assertRefused(dir, HUBBLE, "envoy-json", "bad, no flow", "looks like Hubble JSON; use --flow-format hubble");
  }

  @Test
  void readmeExample_restrictsNoEgress_andCartserviceStillReachesRedis(@TempDir Path dir) throws Exception {
    Path np = dir.resolve("np.yaml");
    MeshwardenCommandTest.Run g = run("generate", "-f", APP, "-f", SLICES, "--flows", FLOWS, "-o", "networkpolicy",
        "--output-file", np.toString());
    assertEquals(0, g.code(), g.err());
    String yaml = Files.readString(np);
    assertFalse(yaml.contains("- Egress"), "inbound HTTP logs never see egress: " + yaml);
    assertFalse(yaml.contains("podSelector: {}"), "no namespace-wide policy");
    String objects = yaml.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    assertFalse(objects.contains("redis-cart"), "no policy selects or names redis-cart: " + objects);
    assertTrue(yaml.contains("# not enough evidence") && yaml.contains("#   default/redis-cart[Deployment]: no flow"), yaml);
    String comments = yaml.lines().filter(l -> l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    assertFalse(comments.contains("default/Deployment/"), "comments name workloads ns/name[Kind]: " + comments);
    assertTrue(yaml.contains("meshwarden.io/ingress-scope: 'PORTS: restricted only on TCP 7070 (Envoy inbound HTTP"
        + " access log); every other port stays open"), yaml);
    assertTrue(g.err().contains("warning: the observation window is only"), g.err());
    assertTrue(g.err().contains("not enough evidence: default/redis-cart[Deployment]"), g.err());
    assertFalse(g.err().contains("default/Deployment/"), "stderr names workloads ns/name[Kind]: " + g.err());
    MeshwardenCommandTest.Run c = run("connectivity", "-f", APP, "-f", SLICES, "-f", np.toString(), "-q");
    assertEquals(0, c.code(), c.err());
    assertTrue(c.out().contains("default/cartservice[Deployment] => default/redis-cart[Deployment] : All Connections"),
        c.out());
    MeshwardenCommandTest.Run d = run("dry-run", "-f", APP, "-f", SLICES, "--policy", np.toString(), "--replace",
        "--flows", FLOWS, "-q");
    assertEquals(0, d.code(), d.out());
  }

  @Test
  void intent_carriesTheCoverage_andIncludeUnobservedRestoresTheLockdown() {
    MeshwardenCommandTest.Run i = run("generate", "-f", APP, "-f", SLICES, "--flows", FLOWS, "-q");
    assertEquals(0, i.code(), i.err());
    assertTrue(i.out().startsWith("evidence: 1700 flows, "), i.out());
    assertTrue(i.out().contains("  egress: not restricted: no source in use watched its egress (Envoy inbound HTTP"
        + " access log sees only requests into the workloads that log them)"), i.out());
    assertTrue(i.out().contains("not enough evidence (no policy selects these"), i.out());
    assertTrue(i.out().contains("\ndefault/cartservice[Deployment]  (selector "), i.out());
    assertFalse(i.out().contains("default/Deployment/"), "the intent names workloads ns/name[Kind]: " + i.out());
    MeshwardenCommandTest.Run j = run("generate", "-f", APP, "-f", SLICES, "--flows", FLOWS, "-o", "intent-json", "-q");
    assertTrue(j.out().contains("\"egressScope\": {\"extent\": \"OPEN\"") && j.out().contains("\"notEnoughEvidence\": [{"),
        j.out());
    // Warnings are values: a stable code and severity beside the message.
    assertTrue(j.out().contains("\"warnings\": [{\"code\": \"short-window\", \"severity\": \"warning\", \"message\": "
        + "\"the observation window is only "), j.out());
    MeshwardenCommandTest.Run all = run("generate", "-f", APP, "-f", SLICES, "--flows", FLOWS, "-o", "intent-json",
        "--include-unobserved", "-q");
    assertTrue(all.out().contains("\"workload\": \"default/Deployment/redis-cart\", \"namespace\""), all.out());
  }

  @Test
  void authorizationPolicyAndEnvoyForms_restrictOnlyTheWatchedPorts_andSaySo(@TempDir Path dir) throws Exception {
    Path az = dir.resolve("az.yaml");
    MeshwardenCommandTest.Run g = run("generate", "-f", APP, "-f", SLICES, "--flows", FLOWS, "-o",
        "authorizationpolicy", "--mode", "enforce", "--output-file", az.toString(), "-q");
    assertEquals(0, g.code(), g.err());
    String yaml = Files.readString(az);
    assertFalse(yaml.contains("allow-nothing") || yaml.contains("spec: {}"), "no namespace-wide policy: " + yaml);
    assertTrue(yaml.contains("notPorts:\n        - '7070'") && yaml.contains("meshwarden.io/observed-flows: 204 in, 0 out"),
        yaml);
    // Unobserved caller on the watched port: denied; on a port no log watched: open, as the proposal says.
    MeshwardenCommandTest.Run denied = run("explain", "-f", APP, "-f", SLICES, "--policy", az.toString(), "adservice",
        "cartservice:7070");
    assertEquals(1, denied.code(), denied.out());
    MeshwardenCommandTest.Run open = run("explain", "-f", APP, "-f", SLICES, "--policy", az.toString(), "adservice",
        "cartservice:8080");
    assertEquals(0, open.code(), open.out());
    MeshwardenCommandTest.Run envoy = run("generate", "-f", APP, "-f", SLICES, "--flows", FLOWS, "-o", "envoy", "-q");
    assertEquals(0, envoy.code(), envoy.err());
    assertTrue(envoy.out().contains("\"meshwarden.io\": {") && envoy.out().contains("\"ingress_scope\": \"PORTS: restricted"
        + " only on TCP 7070 (Envoy inbound HTTP access log)"), envoy.out());
  }
}
