package io.meshwarden.cli;

import static io.meshwarden.cli.MeshwardenCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate → dry-run round trips, explain and diff, as a user runs them. */
class PolicyCommandsTest {
  private static final String APP = "../manifests/examples/online-boutique/upstream/release/kubernetes-manifests.yaml";
  private static final String POLICIES = "../manifests/examples/online-boutique/upstream/kustomize/components/network-policies";
  private static final String DENY_ALL = POLICIES + "/network-policy-deny-all.yaml";
  private static final String FIXTURE = "../manifests/examples/online-boutique/flows/";
  private static final String SLICES = FIXTURE + "endpointslices.yaml";
  private static final String FLOWS = FIXTURE + "envoy-inbound-access-log.jsonl";

  @Test
  void generatedPolicies_replayWithoutDenials_inEveryForm(@TempDir Path dir) throws Exception {
    for (String form : new String[] {"networkpolicy", "authorizationpolicy"}) {
      Path out = dir.resolve(form + ".yaml");
      MeshwardenCommandTest.Run g = run("generate", "-f", APP, "-f", SLICES, "--flows", FLOWS, "-o", form, "--mode",
          "enforce", "--output-file", out.toString(), "-q");
      assertEquals(0, g.code(), g.err());
      MeshwardenCommandTest.Run d = run("dry-run", "-f", APP, "-f", SLICES, "--policy", out.toString(), "--replace",
          "--flows", FLOWS, "-q");
      assertEquals(0, d.code(), form + ": " + d.out());
      assertTrue(d.out().startsWith("replayed 1700 flows"), d.out());
    }
  }

  @Test
  void generate_isDeterministic_andEnvoyOutputIsValidated() {
    String a = run("generate", "-f", APP, "-f", SLICES, "--flows", FLOWS, "-o", "intent-json", "-q").out();
    String b = run("generate", "-f", APP, "-f", SLICES, "--flows", FLOWS, "-o", "intent-json", "-q").out();
    assertEquals(a, b);
    assertTrue(a.contains("\"workload\": \"default/Deployment/cartservice\""), a);
    MeshwardenCommandTest.Run envoy = run("generate", "-f", APP, "-f", SLICES, "--flows", FLOWS, "-o", "envoy", "-q");
    assertEquals(0, envoy.code(), envoy.err());
    assertTrue(envoy.out().contains("envoy.filters.http.rbac") && envoy.out().contains("shadowRules"),
        "dry-run is the default mode");
    MeshwardenCommandTest.Run grpc = run("generate", "-f", APP, "-f", SLICES, "--flows", FLOWS, "-o", "grpc",
        "--mode", "enforce", "-q");
    assertEquals(0, grpc.code(), grpc.err());
    assertTrue(grpc.out().contains("grpc/server?xds.resource.listening_address=0.0.0.0:"), grpc.out());
  }

  @Test
  void dryRun_ofDenyAll_reportsEveryFlowGroupedByDestination() {
    MeshwardenCommandTest.Run r = run("dry-run", "-f", APP, "-f", SLICES, "--policy", DENY_ALL, "--flows", FLOWS, "-q");
    assertEquals(1, r.code());
    assertTrue(r.out().startsWith("replayed 1700 flows on "), r.out());
    assertTrue(r.out().contains(": 1700 would be denied"), r.out());
    assertTrue(r.out().contains("DENY ") && r.out().contains("to default/cartservice[Deployment] TCP 7070 [egress]")
        && r.out().contains("NetworkPolicy default/deny-all"), r.out());
  }

  @Test
  void explain_exitCodesFollowTheDecision() {
    String app = APP;
    MeshwardenCommandTest.Run ok = run("explain", "-f", app, "--policy", POLICIES, "cartservice", "redis-cart:6379");
    assertEquals(0, ok.code(), ok.out() + ok.err());
    assertTrue(ok.out().contains("ALLOWED") && ok.out().contains("ingress rule #1"), ok.out());
    MeshwardenCommandTest.Run no = run("explain", "-f", app, "--policy", POLICIES, "frontend", "default/redis-cart:6379");
    assertEquals(1, no.code());
    assertTrue(no.out().contains("DENIED"), no.out());
    assertEquals(2, run("explain", "-f", app, "nosuch", "redis-cart:6379").code());
    assertEquals(2, run("explain", "-f", app, "frontend", "redis-cart").code());
  }

  @Test
  void diff_readsTheWorkloadsOnce_soTheyCanComeFromStdin() throws Exception {
    // Both policy sets are judged on one reading of the workloads; read twice, stdin would be empty the second time.
    byte[] app = Files.readAllBytes(Path.of(APP));
    MeshwardenCommandTest.Run r = run(new java.io.ByteArrayInputStream(app), "diff", "-f", "-", DENY_ALL, POLICIES);
    assertEquals(1, r.code(), r.err());
    assertTrue(r.out().contains("+ default/cartservice[Deployment] => default/redis-cart[Deployment] : TCP 6379"), r.out());
  }

  @Test
  void diff_countsAddedConnections() throws Exception {
    MeshwardenCommandTest.Run r = run("diff", "-f", APP, DENY_ALL, POLICIES);
    assertEquals(1, r.code());
    assertTrue(r.out().contains("+ default/cartservice[Deployment] => default/redis-cart[Deployment] : TCP 6379"), r.out());
    assertTrue(r.out().trim().endsWith("0 removed, 0 changed"), r.out());
    assertEquals(0, run("diff", "-f", APP, POLICIES, POLICIES).code());
    assertTrue(Files.exists(Path.of(DENY_ALL)));
  }

  @Test
  void explain_againstGeneratedEnvoyRbac_namesThePolicyOrDenies(@TempDir Path dir) {
    Path envoy = dir.resolve("envoy.json");
    assertEquals(0, run("generate", "-f", APP, "-f", SLICES, "--flows", FLOWS, "-o", "envoy", "--mode", "enforce",
        "--output-file", envoy.toString(), "-q").code());
    MeshwardenCommandTest.Run ok = run("explain", "-f", APP, "--envoy", envoy.toString(), "frontend", "cartservice:7070",
        "--method", "POST", "--path", "/hipstershop.CartService/GetCart");
    assertEquals(0, ok.code(), ok.out() + ok.err());
    assertTrue(ok.out().contains("enforced ALLOW") && ok.out().contains("workload[cartservice]-port[07070]"), ok.out());
    MeshwardenCommandTest.Run no = run("explain", "-f", APP, "--envoy", envoy.toString(), "adservice", "cartservice:7070",
        "--method", "POST", "--path", "/hipstershop.CartService/GetCart");
    assertEquals(1, no.code(), no.out());
    assertTrue(no.out().contains("enforced DENY"), no.out());
  }
}
