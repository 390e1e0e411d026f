package io.meshwarden.cli;

import static io.meshwarden.cli.MeshwardenCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command on a dual-stack namespace (pod with status.podIPs, an IPv6 EndpointSlice, an IPv6
 * ipBlock with except, an AdminNetworkPolicy with IPv6 networks, Envoy logs with bracketed IPv6
 * and IPv4-mapped addresses), as a user runs them.
 */
class DualStackCommandsTest {
  private static final String DIR = "src/test/resources/dual-stack/";
  private static final String CLUSTER = DIR + "cluster.yaml";
  private static final String POLICIES = DIR + "policies.yaml";
  private static final String FLOWS = DIR + "envoy-inbound.jsonl";
  private static final String V6_TAIL = ":ffff:ffff:ffff:ffff:ffff[External]";

  @Test
  void connectivity_listsIpv6RangesInNpGuardNotation() {
    MeshwardenCommandTest.Run r = run("connectivity", "-f", CLUSTER, "-f", POLICIES, "-q");
    assertEquals(0, r.code(), r.err());
    String out = r.out();
    assertTrue(out.contains("2001:db8::-2001:db8:bac" + V6_TAIL + " => shop/api[Pod] : TCP 9090"), out);
    assertTrue(out.contains("2001:db8:bae::-2001:db8:ffff" + V6_TAIL + " => shop/api[Pod] : TCP 9090"), out);
    assertFalse(out.contains("2001:db8:bad::-2001:db8:bad" + V6_TAIL + " => shop/api"), "the except is not admitted");
    assertTrue(out.contains("shop/web[Pod] => shop/api[Pod] : TCP 9090"), out);
    assertTrue(out.contains("shop/web[Pod] => 2001:db8:bae::-ffff:ffff:ffff" + V6_TAIL + " : All Connections"), out);
    assertFalse(out.contains("shop/web[Pod] => 2001:db8:bad::-2001:db8:bad" + V6_TAIL),
        "the AdminNetworkPolicy denies egress to its IPv6 network: " + out);
    assertTrue(out.contains("shop/web[Pod] => 0.0.0.0-192.0.1.255[External] : All Connections"), out);
  }

  @Test
  void explain_namesTheAdminNetworkPolicyRuleForAnIpv6Destination_andTheIpBlockForAnIpv6Source() {
    MeshwardenCommandTest.Run denied = run("explain", "-f", CLUSTER, "-f", POLICIES, "web", "[2001:db8:bad::1]:443");
    assertEquals(1, denied.code(), denied.out() + denied.err());
    assertTrue(denied.out().contains("DENIED") && denied.out().contains("AdminNetworkPolicy no-exfil")
        && denied.out().contains("deny-partner-v6") && denied.out().contains("policies.yaml:"), denied.out());
    MeshwardenCommandTest.Run allowed = run("explain", "-f", CLUSTER, "-f", POLICIES, "2001:db8:1::7", "api:9090");
    assertEquals(0, allowed.code(), allowed.out() + allowed.err());
    assertTrue(allowed.out().contains("ALLOWED") && allowed.out().contains("ingress rule #2"), allowed.out());
    MeshwardenCommandTest.Run except = run("explain", "-f", CLUSTER, "-f", POLICIES, "2001:db8:bad::9", "api:9090");
    assertEquals(1, except.code(), except.out() + except.err());
  }

  @Test
  void generate_emitsIpv6PeersWhereTrafficWasIpv6_andTheyReplayClean(@TempDir Path dir) throws Exception {
    Path np = dir.resolve("np.yaml");
    MeshwardenCommandTest.Run g = run("generate", "-f", CLUSTER, "--flows", FLOWS, "-o", "networkpolicy",
        "--mode", "enforce", "--output-file", np.toString(), "-q");
    assertEquals(0, g.code(), g.err());
    String yaml = Files.readString(np);
    assertTrue(yaml.contains("cidr: 2001:db8:1::7/128"), yaml);
    MeshwardenCommandTest.Run envoy = run("generate", "-f", CLUSTER, "--flows", FLOWS, "-o", "envoy", "-q");
    assertEquals(0, envoy.code(), envoy.err());
    assertTrue(envoy.out().contains("\"addressPrefix\": \"2001:db8:1::7\"")
        && envoy.out().contains("\"prefixLen\": 128"), envoy.out());
    MeshwardenCommandTest.Run d = run("dry-run", "-f", CLUSTER, "--policy", np.toString(), "--replace", "--flows",
        FLOWS, "-q");
    assertEquals(0, d.code(), d.out());
    assertTrue(d.out().startsWith("replayed 3 flows"), d.out());
  }

  @Test
  void dryRunAndAnalyze_seeIpv6Traffic_andDiffComparesIpv6Ranges(@TempDir Path dir) throws Exception {
    MeshwardenCommandTest.Run d = run("dry-run", "-f", CLUSTER, "--policy", POLICIES, "--flows", FLOWS, "-q");
    assertEquals(0, d.code(), d.out() + d.err());
    MeshwardenCommandTest.Run a = run("analyze", "-f", CLUSTER, "-f", POLICIES, "--flows", FLOWS, "-o", "json", "-q");
    assertTrue(a.code() == 0 || a.code() == 1, a.err());
    // The old set lacks the AdminNetworkPolicy: the new one removes egress to its IPv6 network.
    String all = Files.readString(Path.of(POLICIES));
    Path old = dir.resolve("old.yaml");
    Files.writeString(old, all.substring(0, all.indexOf("---")));
    MeshwardenCommandTest.Run diff = run("diff", "-f", CLUSTER, old.toString(), POLICIES);
    assertEquals(1, diff.code(), diff.err());
    assertTrue(diff.out().contains("- shop/web[Pod] => 2001:db8:bad::-2001:db8:bad" + V6_TAIL), diff.out());
  }
}
