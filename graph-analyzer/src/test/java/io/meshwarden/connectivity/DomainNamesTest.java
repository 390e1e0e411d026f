package io.meshwarden.connectivity;

import static io.meshwarden.connectivity.ClusterNetworkPolicySemanticsTest.cnp;
import static io.meshwarden.connectivity.Fixtures.deployment;
import static io.meshwarden.connectivity.Fixtures.load;
import static io.meshwarden.connectivity.Fixtures.namespace;
import static io.meshwarden.connectivity.Fixtures.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Protocol;
import org.junit.jupiter.api.Test;

/**
 * ClusterNetworkPolicy {@code domainNames}, from the API's {@code DomainName} doc comment (its
 * examples, one assertion each) and the peer's: "DomainNames is only supported for Accept rules.
 * In order to control access, DomainNames Accept rules should be used with a lower precedence
 * egress deny -- this allows the admin to maintain an explicit "allowlist" of reachable domains."
 */
class DomainNamesTest {
  @Test
  void anExactName_matchesOnlyItself() {
    assertTrue(DomainNames.matches("kubernetes.io", "kubernetes.io"));
    for (String other : new String[] {"www.kubernetes.io", "blog.kubernetes.io", "my-kubernetes.io", "wikipedia.org"}) {
      assertFalse(DomainNames.matches("kubernetes.io", other), other);
    }
    assertTrue(DomainNames.matches("blog.kubernetes.io", "blog.kubernetes.io"));
    assertFalse(DomainNames.matches("blog.kubernetes.io", "www.kubernetes.io"));
    assertFalse(DomainNames.matches("blog.kubernetes.io", "kubernetes.io"));
  }

  @Test
  void aWildcard_matchesOneOrMoreWholeLabels_neverTheBareDomain() {
    assertTrue(DomainNames.matches("*.kubernetes.io", "www.kubernetes.io"));
    assertTrue(DomainNames.matches("*.kubernetes.io", "blog.kubernetes.io"));
    assertTrue(DomainNames.matches("*.kubernetes.io", "latest.blog.kubernetes.io"));
    assertFalse(DomainNames.matches("*.kubernetes.io", "kubernetes.io"));
    assertFalse(DomainNames.matches("*.kubernetes.io", "wikipedia.org"));
    assertFalse(DomainNames.matches("*.kubernetes.io", "my-kubernetes.io"), "no partial labels");
  }

  @Test
  void caseAndATrailingDot_doNotMakeAnotherName() {
    assertTrue(DomainNames.matches("Kubernetes.IO.", "kubernetes.io"));
    assertTrue(DomainNames.matches("*.kubernetes.io", "WWW.kubernetes.io."));
  }

  private static final String APPS = namespace("a", "env=prod") + deployment("a", "api", "app=api", "");
  private static final String ALLOWLIST = cnp("egress-allowlist", "Admin", 1, "namespaces: {matchLabels: {env: prod}}",
      "  egress:\n"
      + "  - {name: allowlist, action: Accept, to: [{domainNames: [\"*.example.com\", api.example.org]}]}\n"
      + "  - {name: rest, action: Deny, to: [{networks: [0.0.0.0/0]}]}\n");

  private static Peer named(String name) {
    return new Peer.ExternalPeer(IpRange.parseCidr("93.184.216.34/32"), name);
  }

  @Test
  void aDestinationKnownByName_isDecidedByTheAllowlist() {
    ClusterModel m = load(APPS + ALLOWLIST);
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    Peer api = new Peer.WorkloadPeer(workload(m, "a/api"));
    assertEquals("All Connections", c.allowed(api, named("shop.example.com")).toString());
    assertEquals("All Connections", c.allowed(api, named("api.example.org")).toString());
    assertEquals("No Connections", c.allowed(api, named("example.com")).toString(), "*. needs a label before it");
    assertEquals("No Connections", c.allowed(api, named("evil.example.net")).toString());
  }

  @Test
  void explainByName_namesTheEntryThatMatched_orSaysNoneDid() {
    ClusterModel m = load(APPS + ALLOWLIST);
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    Peer api = new Peer.WorkloadPeer(workload(m, "a/api"));
    Explanation yes = c.explain(api, named("shop.example.com"), Protocol.TCP, 443);
    assertTrue(yes.allowed());
    assertEquals("egress rule \"allowlist\"", yes.egress().decidedBy().rule());
    assertTrue(yes.render("x").contains("shop.example.com matches *.example.com"), yes.render("x"));
    Explanation no = c.explain(api, named("evil.example.net"), Protocol.TCP, 443);
    assertFalse(no.allowed());
    assertTrue(no.egress().dependsOn().isEmpty(), "a name is decided: nothing to depend on");
    assertEquals("egress rule \"rest\"", no.egress().decidedBy().rule());
    assertTrue(no.render("x").contains("evil.example.net is none of them"), no.render("x"));
  }

  @Test
  void anAddressAlone_dependsOnDns_namingThePolicyAndRule() {
    ClusterModel m = load(APPS + ALLOWLIST);
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    Explanation e = c.explain(new Peer.WorkloadPeer(workload(m, "a/api")),
        new Peer.ExternalPeer(IpRange.parseCidr("93.184.216.34/32")), Protocol.TCP, 443);
    assertFalse(e.allowed());
    assertTrue(e.egress().depends());
    assertEquals(1, e.egress().dependsOn().size());
    String dep = e.egress().dependsOn().get(0);
    assertTrue(dep.startsWith("DNS: whether 93.184.216.34 is an address of *.example.com, api.example.org")
        && dep.contains("ClusterNetworkPolicy egress-allowlist (Admin tier, priority 1) egress rule \"allowlist\""), dep);
  }

  @Test
  void anAddressThatIsAllowedEitherWay_dependsOnNothing() {
    String p = cnp("egress-allowlist", "Admin", 1, "namespaces: {matchLabels: {env: prod}}",
        "  egress:\n  - {name: allowlist, action: Accept, to: [{domainNames: [api.example.org]}]}\n");
    ClusterModel m = load(APPS + p);
    Explanation e = ConnectivityAnalyzer.analyze(m).explain(new Peer.WorkloadPeer(workload(m, "a/api")),
        new Peer.ExternalPeer(IpRange.parseCidr("93.184.216.34/32")), Protocol.TCP, 443);
    assertTrue(e.allowed());
    assertFalse(e.egress().depends());
  }
}
