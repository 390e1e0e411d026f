package io.meshwarden.cli;

import static io.meshwarden.cli.MeshwardenCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explain and dry-run with Istio AuthorizationPolicies in the picture, as a user runs them. */
class AuthzCommandsTest {
  private static final String APP = "../manifests/examples/online-boutique/upstream/release/kubernetes-manifests.yaml";
  private static final String AUTHZ = "../manifests/examples/online-boutique/derived/authorization-policies.rendered-from-helm.yaml";
  private static final String FIXTURE = "../manifests/examples/online-boutique/flows/";
  private static final String SLICES = FIXTURE + "endpointslices.yaml";
  private static final String FLOWS = FIXTURE + "envoy-inbound-access-log.jsonl";

  /** The reported bug: "... TCP 7070: ALLOWED" on the first line while Istio denied, exit 1. */
  @Test
  void explain_firstLineAndExitCode_giveTheVerdictAcrossLayers() {
    MeshwardenCommandTest.Run no = run("explain", "-f", APP, "--policy", AUTHZ, "adservice", "cartservice:7070",
        "--method", "POST", "--path", "/hipstershop.CartService/GetCart");
    assertEquals(1, no.code(), no.out() + no.err());
    String first = no.out().lines().findFirst().orElseThrow();
    assertTrue(first.startsWith("default/adservice[Deployment] -> default/cartservice[Deployment] TCP 7070"
        + " (POST /hipstershop.CartService/GetCart): DENIED at Istio authorization by AuthorizationPolicy"
        + " default/cartservice"), first);
    assertTrue(no.out().contains("  ingress: ALLOWED"), "L4 allows; the layers below the first line say so");
    MeshwardenCommandTest.Run ok = run("explain", "-f", APP, "--policy", AUTHZ, "frontend", "cartservice:7070",
        "--method", "POST", "--path", "/hipstershop.CartService/GetCart");
    assertEquals(0, ok.code(), ok.out());
    assertTrue(ok.out().lines().findFirst().orElseThrow().contains(": ALLOWED at Istio authorization by"
        + " AuthorizationPolicy default/cartservice rule #1 ("), ok.out());
  }

  @Test
  void explain_whatItCannotKnow_isDependsWithExitCode4_andEachAttributeCanBeSet() {
    MeshwardenCommandTest.Run maybe = run("explain", "-f", APP, "--policy", AUTHZ, "frontend", "cartservice:7070");
    assertEquals(4, maybe.code(), maybe.out());
    String first = maybe.out().lines().findFirst().orElseThrow();
    assertTrue(first.contains(": DEPENDS at Istio authorization") && first.endsWith(
        "depends on request.method, request.path"), first);
    MeshwardenCommandTest.Run external = run("explain", "-f", APP, "--policy", AUTHZ, "203.0.113.7", "frontend:8080",
        "--method", "GET", "--path", "/", "--host", "shop.example.com", "--header", "User-Agent=curl");
    assertEquals(0, external.code(), external.out());
    MeshwardenCommandTest.Run spoofed = run("explain", "-f", APP, "--policy", AUTHZ, "adservice", "cartservice:7070",
        "--method", "POST", "--path", "/hipstershop.CartService/GetCart",
        "--source-principal", "spiffe://cluster.local/ns/default/sa/frontend", "--source-ip", "10.4.0.9");
    assertEquals(0, spoofed.code(), "the principal decides, not the workload name: " + spoofed.out());
    assertEquals(2, run("explain", "-f", APP, "frontend", "cartservice:7070", "--header", "nocolon").code());
  }

  @Test
  void dryRun_replaysL4AndAuthorizationTogether_namingTheDenyRule(@TempDir Path dir) throws Exception {
    Path deny = dir.resolve("no-empty-cart.yaml");
    Files.writeString(deny, """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: no-empty-cart
          namespace: default
        spec:
          selector:
            matchLabels:
              app: cartservice
          action: DENY
          rules:
          - to:
            - operation:
                paths: ["/hipstershop.CartService/EmptyCart"]
        """);
    MeshwardenCommandTest.Run r = run("dry-run", "-f", APP, "-f", SLICES, "--policy", deny.toString(), "--flows",
        FLOWS, "-q");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("replayed 1700 flows on 210 observed edges: 83 would be denied"), r.out());
    assertTrue(r.out().contains("DENY 83 flows to default/cartservice[Deployment] TCP 7070 [Istio authorization]\n"
        + "  decided by: AuthorizationPolicy default/no-empty-cart rule #1 (" + deny + ":12)"), r.out());
  }
}
