package io.meshwarden.connectivity;

import static io.meshwarden.connectivity.ClusterNetworkPolicySemanticsTest.cnp;
import static io.meshwarden.connectivity.Fixtures.allowed;
import static io.meshwarden.connectivity.Fixtures.load;
import static io.meshwarden.connectivity.Fixtures.namespace;
import static io.meshwarden.connectivity.Fixtures.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Protocol;
import org.junit.jupiter.api.Test;

/**
 * {@code networks} (and {@code nodes}) egress peers match pods by address, from the API's words
 * on {@code networks} (ClusterNetworkPolicyEgressPeer v1alpha2, AdminNetworkPolicyEgressPeer
 * v1alpha1): "This is intended for representing entities that live outside the cluster ... but
 * note that cluster-internal traffic will be checked against the rule as well. So if you Accept
 * or Deny traffic to "0.0.0.0/0", that will allow or deny all IPv4 pod-to-pod traffic as well.
 * If you don't want that, add a rule that Passes all pod traffic before the Networks rule."
 */
class AddressPeerSemanticsTest {
  private static final String NAMESPACES = namespace("a", "env=prod") + namespace("b", "env=dev");

  /** A bare pod with labels and addresses (status.podIPs). */
  static String pod(String ns, String name, String app, String... ips) {
    StringBuilder sb = new StringBuilder("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ").append(name)
        .append("\n  namespace: ").append(ns).append("\n  labels: {app: ").append(app)
        .append("}\nspec:\n  containers: [{name: c, image: x, ports: [{name: http, containerPort: 80}]}]\n");
    if (ips.length > 0) {
      sb.append("status:\n  podIP: ").append(ips[0]).append("\n  podIPs:\n");
      for (String ip : ips) {
        sb.append("  - ip: ").append(ip).append('\n');
      }
    }
    return sb.toString();
  }

  private static final String CLIENT = pod("a", "client", "client", "10.1.0.10");

  private static String denyEgressTo(String networks) {
    return cnp("deny-out", "Admin", 10, "namespaces: {matchLabels: {env: prod}}",
        "  egress:\n  - {name: no-internet, action: Deny, to: [{networks: [" + networks + "]}]}\n");
  }

  @Test
  void denyingZeroSlashZero_deniesIpv4PodToPodTrafficAsWell() {
    ClusterModel m = load(NAMESPACES + CLIENT + pod("b", "db", "db", "10.2.0.5") + denyEgressTo("0.0.0.0/0"));
    assertEquals("No Connections", allowed(m, "a/client", "b/db"));
  }

  @Test
  void zeroSlashZero_isIpv4Only_anIpv6PodIsNotMatched() {
    ClusterModel m = load(NAMESPACES + CLIENT + pod("b", "db", "db", "fd00::5") + denyEgressTo("0.0.0.0/0"));
    assertEquals("All Connections", allowed(m, "a/client", "b/db"));
    ClusterModel v6 = load(NAMESPACES + CLIENT + pod("b", "db", "db", "fd00::5") + denyEgressTo("\"::/0\""));
    assertEquals("No Connections", allowed(v6, "a/client", "b/db"));
  }

  @Test
  void aPodOutsideTheNetworks_isNotMatched() {
    ClusterModel m = load(NAMESPACES + CLIENT + pod("b", "db", "db", "10.2.0.5") + denyEgressTo("192.168.0.0/16"));
    assertEquals("All Connections", allowed(m, "a/client", "b/db"));
  }

  @Test
  void passingPodTrafficBeforeTheNetworksRule_keepsPodToPodTrafficOutOfIt() {
    String p = cnp("deny-out", "Admin", 10, "namespaces: {matchLabels: {env: prod}}", "  egress:\n"
        + "  - {name: pods-first, action: Pass, to: [{namespaces: {}}]}\n"
        + "  - {name: no-internet, action: Deny, to: [{networks: [0.0.0.0/0]}]}\n");
    ClusterModel m = load(NAMESPACES + CLIENT + pod("b", "db", "db", "10.2.0.5") + p);
    assertEquals("All Connections", allowed(m, "a/client", "b/db"));
    assertEquals("No Connections", Fixtures.toIp(m, "a/client", "93.184.216.34/32"));
  }

  @Test
  void acceptingANetwork_acceptsThePodsInItOverANetworkPolicyThatIsolates() {
    String np = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: none, namespace: a}\n"
        + "spec:\n  podSelector: {}\n  policyTypes: [Egress]\n";
    String p = cnp("accept-db-net", "Admin", 10, "namespaces: {matchLabels: {env: prod}}",
        "  egress:\n  - {name: db-net, action: Accept, to: [{networks: [10.2.0.0/24]}]}\n");
    ClusterModel m = load(NAMESPACES + CLIENT + pod("b", "db", "db", "10.2.0.5") + pod("b", "web", "web", "10.3.0.5")
        + np + p);
    assertEquals("All Connections", allowed(m, "a/client", "b/db"));
    assertEquals("No Connections", allowed(m, "a/client", "b/web"));
  }

  @Test
  void adminNetworkPolicyNetworks_matchPodsTheSameWay() {
    String anp = "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: x}\n"
        + "spec:\n  priority: 5\n  subject: {namespaces: {matchLabels: {env: prod}}}\n  egress:\n"
        + "  - {name: no-10, action: Deny, to: [{networks: [10.0.0.0/8]}]}\n";
    ClusterModel m = load(NAMESPACES + CLIENT + pod("b", "db", "db", "10.2.0.5") + pod("b", "ext", "ext", "172.16.0.5")
        + anp);
    assertEquals("No Connections", allowed(m, "a/client", "b/db"));
    assertEquals("All Connections", allowed(m, "a/client", "b/ext"));
  }

  @Test
  void sameLabels_differentAddresses_areToldApart() {
    ClusterModel m = load(NAMESPACES + CLIENT + pod("b", "db-1", "db", "10.2.0.5") + pod("b", "db-2", "db", "10.9.0.5")
        + denyEgressTo("10.2.0.0/16"));
    assertEquals("No Connections", allowed(m, "a/client", "b/db-1"));
    assertEquals("All Connections", allowed(m, "a/client", "b/db-2"));
  }

  @Test
  void podsPartlyInside_areNotMatched_andTheAnalysisSaysSo() {
    // Two pods of one StatefulSet, one inside the range and one outside.
    StringBuilder deployment = new StringBuilder();
    String[] ips = {"10.2.0.5", "10.9.0.5"};
    for (int i = 0; i < 2; i++) {
      deployment.append("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: db-").append(i)
          .append("\n  namespace: b\n  labels: {app: db}\n")
          .append("  ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, controller: true}]\n")
          .append("spec: {containers: [{name: c, image: x}]}\nstatus: {podIP: ").append(ips[i])
          .append(", podIPs: [{ip: ").append(ips[i]).append("}]}\n");
    }
    ClusterModel m = load(NAMESPACES + CLIENT + deployment + denyEgressTo("10.2.0.0/16"));
    assertEquals(2, workload(m, "b/db").podIps().size(), workload(m, "b/db").podIps().toString());
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    assertEquals("All Connections", c.allowed(new Peer.WorkloadPeer(workload(m, "a/client")),
        new Peer.WorkloadPeer(workload(m, "b/db"))).toString());
    assertTrue(c.warnings().stream().anyMatch(w -> w.code().equals("address-peer-partial")
        && w.message().contains("ClusterNetworkPolicy deny-out egress rule \"no-internet\"")
        && w.message().contains("some pod addresses of b/db") && w.message().contains("10.2.0.5")
        && w.origin().toString().startsWith("test.yaml:")), c.warnings().toString());
  }

  @Test
  void dualStackPod_matchedInTheFamilyTheNetworksName_andSaidSo() {
    ClusterModel m = load(NAMESPACES + CLIENT + pod("b", "db", "db", "10.2.0.5", "fd00::5") + denyEgressTo("0.0.0.0/0"));
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    assertEquals("No Connections", c.allowed(new Peer.WorkloadPeer(workload(m, "a/client")),
        new Peer.WorkloadPeer(workload(m, "b/db"))).toString());
    assertTrue(c.warnings().stream().anyMatch(w -> w.code().equals("address-peer-one-family")
        && w.message().contains("one family only")), c.warnings().toString());
  }

  @Test
  void nodesPeer_matchesAHostNetworkPodAtItsNodesAddress_whileNamespacesPeersNeverSelectIt() {
    String node = "---\napiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {role: control}}\n"
        + "status: {addresses: [{type: InternalIP, address: 10.0.0.5}]}\n";
    String hostPod = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: agent, namespace: b, labels: {app: agent}}\n"
        + "spec: {hostNetwork: true, containers: [{name: c, image: x}]}\n"
        + "status: {podIP: 10.0.0.5, podIPs: [{ip: 10.0.0.5}]}\n";
    String byNode = cnp("no-cp", "Admin", 10, "namespaces: {matchLabels: {env: prod}}",
        "  egress:\n  - {name: cp, action: Deny, to: [{nodes: {matchLabels: {role: control}}}]}\n");
    assertEquals("No Connections", allowed(load(NAMESPACES + CLIENT + node + hostPod + byNode), "a/client", "b/agent"));
    String byNamespace = cnp("no-dev", "Admin", 10, "namespaces: {matchLabels: {env: prod}}",
        "  egress:\n  - {name: dev, action: Deny, to: [{namespaces: {matchLabels: {env: dev}}}]}\n");
    assertEquals("All Connections", allowed(load(NAMESPACES + CLIENT + node + hostPod + byNamespace), "a/client",
        "b/agent"));
  }

  @Test
  void explain_namesTheRuleAndTheAddressThatMatched() {
    ClusterModel m = load(NAMESPACES + CLIENT + pod("b", "db", "db", "10.2.0.5") + denyEgressTo("10.0.0.0/8"));
    Explanation e = ConnectivityAnalyzer.analyze(m).explain(new Peer.WorkloadPeer(workload(m, "a/client")),
        new Peer.WorkloadPeer(workload(m, "b/db")), Protocol.TCP, 80);
    assertFalse(e.allowed());
    assertEquals("ClusterNetworkPolicy deny-out (Admin tier, priority 10)", e.egress().decidedBy().policy());
    assertTrue(e.render("x").contains("by address: 10.2.0.5 of b/db"), e.render("x"));
  }

  @Test
  void withoutPodAddresses_nothingChanges() {
    String noIps = pod("b", "db", "db");
    assertEquals("All Connections", allowed(load(NAMESPACES + CLIENT + noIps + denyEgressTo("0.0.0.0/0")), "a/client",
        "b/db"));
    assertFalse(ConnectivityAnalyzer.readsPodAddresses(load(NAMESPACES + CLIENT + noIps)));
    assertTrue(ConnectivityAnalyzer.readsPodAddresses(load(NAMESPACES + CLIENT + noIps + denyEgressTo("0.0.0.0/0"))));
  }
}
