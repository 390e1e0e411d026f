package io.meshwarden.cli;

import static io.meshwarden.cli.MeshwardenCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * ClusterNetworkPolicy egress as a user meets it: a networks peer that also covers pod addresses,
 * and a domainNames allowlist, through explain, dry-run, connectivity and analyze.
 */
class ClusterNetworkPolicyCommandsTest {
  private static final String DIR = "src/test/resources/cluster-network-policy/";
  private static final String CLUSTER = DIR + "cluster.yaml";
  private static final String FLOWS = DIR + "flows.jsonl";

  @Test
  void explain_aPodInsideTheDeniedNetworks_isDeniedByAddress() {
    MeshwardenCommandTest.Run r = run("explain", "-f", CLUSTER, "shop/api", "data/db:5432");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("ClusterNetworkPolicy shop-egress-allowlist (Admin tier, priority 10) egress rule"
        + " \"nothing-else\"") && r.out().contains("by address: 10.2.0.5 of data/db"), r.out());
  }

  @Test
  void explain_aNameIsDecidedByDomainNames_anAddressDependsOnDns() {
    MeshwardenCommandTest.Run byName = run("explain", "-f", CLUSTER, "shop/api", "eu.payments.example.com:443");
    assertEquals(0, byName.code(), byName.out() + byName.err());
    assertTrue(byName.out().contains("eu.payments.example.com matches *.payments.example.com"), byName.out());
    MeshwardenCommandTest.Run other = run("explain", "-f", CLUSTER, "shop/api", "tracker.example.net:443");
    assertEquals(1, other.code(), other.out() + other.err());
    MeshwardenCommandTest.Run byAddress = run("explain", "-f", CLUSTER, "shop/api", "93.184.216.34:443");
    assertEquals(4, byAddress.code(), byAddress.out() + byAddress.err());
    assertTrue(byAddress.out().startsWith("shop/api[Pod] -> 93.184.216.34[External] TCP 443: DEPENDS")
        && byAddress.out().contains("DNS: whether 93.184.216.34 is an address of *.payments.example.com")
        && byAddress.out().contains("egress rule \"payments-provider\""), byAddress.out());
  }

  @Test
  void dryRun_decidesFlowsByTheirDnsName() {
    MeshwardenCommandTest.Run r = run("dry-run", "-f", CLUSTER, "--policy", CLUSTER, "--flows", FLOWS, "-q");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("tracker.example.net[External] TCP 443") && !r.out().contains("eu.payments"), r.out());
  }

  @Test
  void connectivityAndAnalyze_sayWhatDependsOnDns_andAnalyzeCountsTheClusterNetworkPolicy() {
    MeshwardenCommandTest.Run c = run("connectivity", "-f", CLUSTER);
    assertEquals(0, c.code(), c.err());
    assertTrue(c.err().contains("ClusterNetworkPolicy shop-egress-allowlist egress rule \"payments-provider\"")
        && c.err().contains("depend on DNS"), c.err());
    assertTrue(!c.out().contains("shop/api[Pod] => data/db[Pod]"), "denied by address: " + c.out());
    MeshwardenCommandTest.Run a = run("analyze", "-f", CLUSTER, "--flows", FLOWS, "-o", "json");
    assertTrue(a.code() == 0 || a.code() == 1, a.err());
    assertTrue(a.out().contains("\"clusterNetworkPolicies\": 1"), a.out());
    assertTrue(a.err().contains("depend on DNS"), a.err());
    MeshwardenCommandTest.Run table = run("analyze", "-f", CLUSTER, "-q");
    assertTrue(table.out().contains("0 AdminNetworkPolicies, 1 ClusterNetworkPolicy;"), table.out());
  }
}
