package io.meshwarden.connectivity;

import static io.meshwarden.connectivity.Fixtures.allowed;
import static io.meshwarden.connectivity.Fixtures.deployment;
import static io.meshwarden.connectivity.Fixtures.load;
import static io.meshwarden.connectivity.Fixtures.namespace;
import static io.meshwarden.connectivity.Fixtures.toIp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.ingest.manifest.LoadResult;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Protocol;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/**
 * ClusterNetworkPolicy (v1alpha2) semantics, one test per rule of the API documentation
 * ({@code apis/v1alpha2/clusternetworkpolicy_types.go}, {@code site-src/api-overview.md}) and of
 * the conformance tests' descriptions ({@code conformance/tests/*}): tiers around NetworkPolicy,
 * priorities, rule order, Accept/Deny/Pass, protocols, failing closed, host networking, nodes.
 */
class ClusterNetworkPolicySemanticsTest {
  private static final String APPS = namespace("a", "env=prod") + namespace("b", "env=dev")
      + deployment("a", "api", "app=api", "http:80,dns:53/UDP") + deployment("b", "cli", "app=cli", "");

  static String cnp(String name, String tier, int priority, String subject, String rules) {
    return "---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: " + name
        + "\nspec:\n  tier: " + tier + "\n  priority: " + priority + "\n  subject:\n    " + subject + "\n" + rules;
  }

  private static String prod(String name, String tier, int priority, String rules) {
    return cnp(name, tier, priority, "namespaces: {matchLabels: {env: prod}}", rules);
  }

  private static final String INGRESS_FROM_ALL = "[{namespaces: {}}]";

  private static String ingress(String action, String extra) {
    return "  ingress:\n  - {name: r, action: " + action + ", from: " + INGRESS_FROM_ALL + extra + "}\n";
  }

  private static final String NP_ALLOW_ALL_TO_API = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
      + "metadata: {name: allow, namespace: a}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n"
      + "    - namespaceSelector: {}\n";
  private static final String NP_DENY_ALL_TO_API = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
      + "metadata: {name: deny, namespace: a}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n";

  @Test
  void adminDeny_overridesNetworkPolicyAllow() {
    assertEquals("No Connections", allowed(load(APPS + NP_ALLOW_ALL_TO_API + prod("d", "Admin", 10,
        ingress("Deny", ""))), "b/cli", "a/api"));
  }

  @Test
  void adminAccept_overridesNetworkPolicyIsolation() {
    assertEquals("All Connections", allowed(load(APPS + NP_DENY_ALL_TO_API + prod("a", "Admin", 10,
        ingress("Accept", ""))), "b/cli", "a/api"));
  }

  @Test
  void egressAccept_leavesTheDestinationsIngressToDecide() {
    String accept = cnp("e", "Admin", 1, "namespaces: {matchLabels: {env: dev}}",
        "  egress:\n  - {name: r, action: Accept, to: [{namespaces: {}}]}\n");
    assertEquals("No Connections", allowed(load(APPS + NP_DENY_ALL_TO_API + accept), "b/cli", "a/api"));
  }

  @Test
  void lowerPriorityFirst_withinATier() {
    String deny = prod("deny", "Admin", 50, ingress("Deny", ""));
    assertEquals("All Connections", allowed(load(APPS + deny + prod("acc", "Admin", 5, ingress("Accept", ""))),
        "b/cli", "a/api"));
    assertEquals("No Connections", allowed(load(APPS + deny + prod("acc", "Admin", 60, ingress("Accept", ""))),
        "b/cli", "a/api"));
  }

  @Test
  void tierComesBeforePriority_anAdmin900BeatsABaseline0() {
    String admin = prod("admin", "Admin", 900, ingress("Deny", ""));
    String baseline = prod("base", "Baseline", 0, ingress("Accept", ""));
    assertEquals("No Connections", allowed(load(APPS + baseline + admin), "b/cli", "a/api"));
  }

  @Test
  void rulesApplyInTheOrderWritten_perPort() {
    String p = prod("p", "Admin", 10, "  ingress:\n"
        + "  - {name: web, action: Accept, from: " + INGRESS_FROM_ALL
        + ", protocols: [{tcp: {destinationPort: {number: 80}}}]}\n"
        + "  - {name: rest, action: Deny, from: " + INGRESS_FROM_ALL + "}\n");
    assertEquals("TCP 80", allowed(load(APPS + p), "b/cli", "a/api"));
  }

  @Test
  void adminPass_handsOverToNetworkPolicy_elseToTheBaselineTier() {
    String pass = prod("pass", "Admin", 1, ingress("Pass", ""));
    String deny = prod("deny", "Admin", 2, ingress("Deny", ""));
    String baselineDeny = prod("bdeny", "Baseline", 1, ingress("Deny", ""));
    assertEquals("All Connections", allowed(load(APPS + pass + deny), "b/cli", "a/api"),
        "Pass skips the rest of the Admin tier; nothing else decides, so the default allow does");
    assertEquals("No Connections", allowed(load(APPS + pass + deny + baselineDeny), "b/cli", "a/api"));
    assertEquals("All Connections", allowed(load(APPS + pass + baselineDeny + NP_ALLOW_ALL_TO_API), "b/cli", "a/api"),
        "a NetworkPolicy selects api, so it decides and the Baseline tier is not consulted");
  }

  @Test
  void baselineTier_isOverriddenByNetworkPolicy() {
    String baselineDeny = prod("bdeny", "Baseline", 1, ingress("Deny", ""));
    assertEquals("All Connections", allowed(load(APPS + baselineDeny + NP_ALLOW_ALL_TO_API), "b/cli", "a/api"));
    assertEquals("No Connections", allowed(load(APPS + prod("bacc", "Baseline", 1, ingress("Accept", ""))
        + NP_DENY_ALL_TO_API), "b/cli", "a/api"));
  }

  @Test
  void baselinePoliciesByPriority_andBaselinePassSkipsTheRestOfTheTier() {
    String web = ", protocols: [{tcp: {destinationPort: {number: 80}}}]";
    String deny = prod("bdeny", "Baseline", 20, ingress("Deny", ""));
    assertEquals("TCP 80", allowed(load(APPS + deny + prod("bacc", "Baseline", 10, ingress("Accept", web))),
        "b/cli", "a/api"));
    assertEquals("TCP 80", allowed(load(APPS + deny + prod("bpass", "Baseline", 10, ingress("Pass", web))),
        "b/cli", "a/api"), "Pass in the Baseline tier falls to the default allow");
    assertEquals("No Connections", allowed(load(APPS + deny + prod("bacc", "Baseline", 30, ingress("Accept", web))),
        "b/cli", "a/api"));
  }

  @Test
  void protocols_numberRangeNamedPortAndAbsence() {
    String rules = "  ingress:\n  - {name: r, action: Accept, from: " + INGRESS_FROM_ALL + ", protocols: [\n"
        + "      {udp: {destinationPort: {range: {start: 5000, end: 6000}}}},\n"
        + "      {sctp: {destinationPort: {number: 9}}},\n"
        + "      {destinationNamedPort: dns}]}\n"
        + "  - {name: rest, action: Deny, from: " + INGRESS_FROM_ALL + "}\n";
    assertEquals("SCTP 9,UDP 53,5000-6000", allowed(load(APPS + prod("p", "Admin", 1, rules)), "b/cli", "a/api"),
        "a range is inclusive; a named port takes the container's protocol (dns is UDP 53)");
  }

  @Test
  void peerOfUnknownShape_failsClosed() {
    String unknown = "[{services: {name: x}}]";
    String accept = prod("acc", "Admin", 1, "  ingress:\n  - {name: r, action: Accept, from: " + unknown + "}\n");
    assertEquals("No Connections", allowed(load(APPS + NP_DENY_ALL_TO_API + accept), "b/cli", "a/api"),
        "an Accept rule with an unknown peer matches nothing");
    for (String action : new String[] {"Deny", "Pass"}) {
      String r = prod("r", "Admin", 1, "  ingress:\n  - {name: r, action: " + action + ", from: " + unknown + "}\n");
      assertEquals("No Connections", allowed(load(APPS + NP_ALLOW_ALL_TO_API + r), "b/cli", "a/api"),
          "a " + action + " rule with an unknown peer denies all");
    }
  }

  @Test
  void hostNetworkPods_areNeitherSubjectsNorPeers() {
    String hostPod = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: agent, namespace: a, labels: {app: agent}}\n"
        + "spec:\n  hostNetwork: true\n  containers: [{name: c, image: x}]\n";
    String deny = prod("d", "Admin", 1, ingress("Deny", ""));
    ClusterModel m = load(APPS + hostPod + deny);
    assertEquals("All Connections", allowed(m, "b/cli", "a/agent"));
    assertEquals("No Connections", allowed(m, "b/cli", "a/api"));
    String egressDeny = cnp("e", "Admin", 1, "namespaces: {matchLabels: {env: dev}}",
        "  egress:\n  - {name: r, action: Deny, to: [{namespaces: {matchLabels: {env: prod}}}]}\n");
    ClusterModel e = load(APPS + hostPod + egressDeny);
    assertEquals("All Connections", allowed(e, "b/cli", "a/agent"), "a namespaces peer leaves host-network pods out");
    assertEquals("No Connections", allowed(e, "b/cli", "a/api"));
  }

  @Test
  void networksPeer_matchesExternalRanges() {
    String p = prod("egress", "Admin", 3, "  egress:\n  - {name: dns, action: Deny, to: [{networks: [8.8.8.8/32]}]}\n"
        + "  - {name: ok, action: Accept, to: [{networks: [0.0.0.0/0]}]}\n");
    ClusterModel m = load(APPS + p);
    assertEquals("No Connections", toIp(m, "a/api", "8.8.8.8/32"));
    assertEquals("All Connections", toIp(m, "a/api", "1.1.1.1/32"));
  }

  @Test
  void nodesPeer_standsForTheAddressesOfTheNodesItSelects() {
    String nodes = "---\napiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {role: control}}\n"
        + "status: {addresses: [{type: InternalIP, address: 10.0.0.5}, {type: Hostname, address: n1}]}\n"
        + "---\napiVersion: v1\nkind: Node\nmetadata: {name: n2, labels: {role: worker}}\n"
        + "status: {addresses: [{type: InternalIP, address: 10.0.0.6}]}\n";
    String p = prod("n", "Admin", 1, "  egress:\n  - {name: cp, action: Deny, to: [{nodes: {matchLabels: {role: control}}}]}\n");
    ClusterModel m = load(APPS + nodes + p);
    assertEquals("No Connections", toIp(m, "a/api", "10.0.0.5/32"));
    assertEquals("All Connections", toIp(m, "a/api", "10.0.0.6/32"));
  }

  @Test
  void domainNames_cannotBeDecidedForAnAddress_theListSaysConnectionsDependOnDns() {
    String p = prod("fqdn", "Admin", 1, "  egress:\n"
        + "  - {name: allowlist, action: Accept, to: [{domainNames: [\"*.example.com\", api.example.org]}]}\n"
        + "  - {name: rest, action: Deny, to: [{networks: [0.0.0.0/0]}]}\n");
    ClusterModel m = load(APPS + p);
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    assertEquals("No Connections", c.allowed(new Peer.WorkloadPeer(Fixtures.workload(m, "a/api")),
        new Peer.ExternalPeer(io.meshwarden.model.IpRange.parseCidr("93.184.216.34/32"))).toString());
    assertTrue(c.warnings().stream().anyMatch(w -> w.code().equals("domain-names")
        && w.message().contains("ClusterNetworkPolicy fqdn egress rule \"allowlist\"")
        && w.message().contains("depend on DNS")), c.warnings().toString());
    Explanation e = c.explain(new Peer.WorkloadPeer(Fixtures.workload(m, "a/api")),
        new Peer.ExternalPeer(io.meshwarden.model.IpRange.parseCidr("93.184.216.34/32")), Protocol.TCP, 443);
    assertTrue(e.render("api -> 93.184.216.34").contains("depends on DNS"), e.render("x"));
  }

  @Test
  void domainNames_onlyInAcceptRules() {
    assertRejected(prod("fqdn", "Admin", 1,
        "  egress:\n  - {name: d, action: Deny, to: [{domainNames: [example.com]}]}\n"), "only supported in Accept");
  }

  @Test
  void schemaViolations_areErrorsNamingTheRule() {
    assertRejected(prod("x", "Admin", 1, ingress("Allow", "")), "v1alpha2 says Accept");
    assertRejected(prod("x", "Admin", 1, ingress("Accept", ", protocols: [{tcp: {}}]")), "destinationPort");
    assertRejected(prod("x", "Admin", 1, ingress("Accept",
        ", protocols: [{tcp: {destinationPort: {number: 80, range: {start: 1, end: 2}}}}]")), "exactly one of number");
    assertRejected(prod("x", "Admin", 1, ingress("Accept",
        ", protocols: [{udp: {destinationPort: {range: {start: 6000, end: 6000}}}}]")), "must be less than end");
    assertRejected(prod("x", "Admin", 1, "  ingress:\n  - {name: r, action: Deny, from: [{namespaces: {}, pods:"
        + " {podSelector: {}}}]}\n"), "exactly one field");
    assertRejected(prod("x", "Admin", 1, "  ingress:\n  - {name: r, action: Deny, from: [{pods: {namespaceSelector:"
        + " {}}}]}\n"), "podSelector is required");
    assertRejected(prod("x", "Admin", 1, "  ingress:\n  - {name: r, action: Deny, from: [{networks: [10.0.0.0/8]}]}\n"),
        "not an ingress peer");
    assertRejected(prod("x", "Admin", 1, "  egress:\n  - {name: r, action: Deny, to: [{networks: [10.0.0.1]}]}\n"),
        "10.0.0.1");
    assertRejected(prod("x", "Admin", 1, "  egress:\n  - {name: r, action: Accept, to: [{networks: [10.0.0.0/8]}],"
        + " protocols: [{destinationNamedPort: http}]}\n"), "cannot be set with namedPorts");
    assertRejected(prod("x", "Admin", 1001, ingress("Deny", "")), "outside 0-1000");
    assertRejected(prod("x", "Middle", 1, ingress("Deny", "")), "Admin or Baseline");
    StringBuilder many = new StringBuilder("  ingress:\n");
    for (int i = 0; i < 26; i++) {
      many.append("  - {name: r").append(i).append(", action: Deny, from: ").append(INGRESS_FROM_ALL).append("}\n");
    }
    assertRejected(prod("x", "Admin", 1, many.toString()), "at most 25");
  }

  private static void assertRejected(String yaml, String message) {
    try {
      new ManifestLoader(false).load("bad.yaml", new StringReader(APPS + yaml));
    } catch (ManifestException e) {
      assertTrue(e.getMessage().contains(message) && e.getMessage().contains("bad.yaml:"), e.getMessage());
      return;
    }
    throw new AssertionError("accepted: " + yaml);
  }

  @Test
  void explain_namesThePolicyItsTierAndTheRuleWithItsLine() {
    ClusterModel m = load(APPS + NP_ALLOW_ALL_TO_API + prod("deny-dev", "Admin", 10, ingress("Deny", "")));
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    Explanation e = c.explain(new Peer.WorkloadPeer(Fixtures.workload(m, "b/cli")),
        new Peer.WorkloadPeer(Fixtures.workload(m, "a/api")), Protocol.TCP, 80);
    assertFalse(e.allowed());
    assertEquals("ClusterNetworkPolicy deny-dev (Admin tier, priority 10)", e.ingress().decidedBy().policy());
    assertEquals("ingress rule \"r\"", e.ingress().decidedBy().rule());
    assertTrue(e.ingress().decidedBy().origin().toString().startsWith("test.yaml:"), e.ingress().decidedBy().origin()
        .toString());
    assertTrue(e.render("cli -> api").contains("ClusterNetworkPolicy deny-dev (Admin tier, priority 10) ingress rule"
        + " \"r\""), e.render("cli -> api"));
  }

  @Test
  void antreaClusterNetworkPolicy_isSkippedAndCounted() throws ManifestException {
    String antrea = "---\napiVersion: crd.antrea.io/v1beta1\nkind: ClusterNetworkPolicy\nmetadata: {name: x}\n"
        + "spec:\n  priority: 5\n  appliedTo: [{podSelector: {}}]\n  ingress: [{action: Drop, from: [{podSelector: {}}]}]\n";
    LoadResult r = new ManifestLoader(false).load("t.yaml", new StringReader(APPS + antrea));
    assertTrue(r.model().clusterNetworkPolicies().isEmpty());
    assertEquals(1, r.skippedKinds().get("ClusterNetworkPolicy.crd.antrea.io"), r.skippedKinds().toString());
    assertEquals("All Connections", allowed(r.model(), "b/cli", "a/api"));
  }
}
