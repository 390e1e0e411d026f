package io.meshwarden.connectivity;

import static io.meshwarden.connectivity.Fixtures.allowed;
import static io.meshwarden.connectivity.Fixtures.deployment;
import static io.meshwarden.connectivity.Fixtures.load;
import static io.meshwarden.connectivity.Fixtures.namespace;
import static io.meshwarden.connectivity.Fixtures.toIp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwarden.model.ClusterModel;
import org.junit.jupiter.api.Test;

/** AdminNetworkPolicy tiers: priority, first-match per port, Pass, and the baseline. */
class AdminNetworkPolicySemanticsTest {
  private static final String APPS = namespace("a", "env=prod") + namespace("b", "env=dev")
      + deployment("a", "api", "app=api", "http:80") + deployment("b", "cli", "app=cli", "");

  private static String anp(String name, int priority, String rules) {
    return "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: " + name
        + "\nspec:\n  priority: " + priority + "\n  subject:\n    namespaces: {matchLabels: {env: prod}}\n" + rules;
  }

  private static String banp(String rules) {
    return "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata:\n"
        + "  name: default\nspec:\n  subject:\n    namespaces: {}\n" + rules;
  }

  private static final String NP_ALLOW_ALL_TO_API = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
      + "metadata: {name: allow, namespace: a}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n"
      + "    - namespaceSelector: {}\n";

  @Test
  void denyOverridesNetworkPolicyAllow() {
    ClusterModel m = load(APPS + NP_ALLOW_ALL_TO_API + anp("deny-80", 10, "  ingress:\n  - name: d\n    action: Deny\n"
        + "    from: [{namespaces: {matchLabels: {env: dev}}}]\n    ports: [{portNumber: {protocol: TCP, port: 80}}]\n"));
    assertEquals("SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535", allowed(m, "b/cli", "a/api"));
  }

  @Test
  void firstMatchingRuleWinsPerPort_withinOnePolicy() {
    ClusterModel m = load(APPS + anp("p", 10, "  ingress:\n"
        + "  - {name: allow80, action: Allow, from: [{namespaces: {}}], ports: [{portNumber: {protocol: TCP, port: 80}}]}\n"
        + "  - {name: denyAll, action: Deny, from: [{namespaces: {}}]}\n"));
    assertEquals("TCP 80", allowed(m, "b/cli", "a/api"));
  }

  @Test
  void lowerPriorityNumberWins() {
    String allow = anp("allow", 5, "  ingress:\n  - {name: a, action: Allow, from: [{namespaces: {}}]}\n");
    String deny = anp("deny", 50, "  ingress:\n  - {name: d, action: Deny, from: [{namespaces: {}}]}\n");
    assertEquals("All Connections", allowed(load(APPS + deny + allow), "b/cli", "a/api"));
    String allowLate = anp("allow", 60, "  ingress:\n  - {name: a, action: Allow, from: [{namespaces: {}}]}\n");
    assertEquals("No Connections", allowed(load(APPS + deny + allowLate), "b/cli", "a/api"));
  }

  @Test
  void pass_handsOverToNetworkPolicies_thenBaseline() {
    String pass = anp("pass", 10, "  ingress:\n  - {name: p, action: Pass, from: [{namespaces: {}}]}\n");
    String baselineDeny = banp("  ingress:\n  - {name: d, action: Deny, from: [{namespaces: {}}]}\n");
    assertEquals("No Connections", allowed(load(APPS + pass + baselineDeny), "b/cli", "a/api"),
        "no NetworkPolicy selects api, so the baseline decides");
    assertEquals("All Connections", allowed(load(APPS + pass + baselineDeny + NP_ALLOW_ALL_TO_API), "b/cli", "a/api"),
        "a NetworkPolicy selects api, so it decides and the baseline is not consulted");
  }

  @Test
  void baselineAllowShieldsPortsFromLaterBaselineDeny() {
    String b = banp("  ingress:\n"
        + "  - {name: a, action: Allow, from: [{namespaces: {}}], ports: [{portRange: {protocol: TCP, start: 80, end: 81}}]}\n"
        + "  - {name: d, action: Deny, from: [{namespaces: {}}]}\n");
    assertEquals("TCP 80-81", allowed(load(APPS + b), "b/cli", "a/api"));
  }

  @Test
  void egressNetworks_matchExternalRanges() {
    String p = anp("egress", 3, "  egress:\n  - {name: dns, action: Deny, to: [{networks: [8.8.8.8/32]}]}\n"
        + "  - {name: ok, action: Allow, to: [{networks: [0.0.0.0/0]}]}\n");
    ClusterModel m = load(APPS + p);
    assertEquals("No Connections", toIp(m, "a/api", "8.8.8.8/32"));
    assertEquals("All Connections", toIp(m, "a/api", "1.1.1.1/32"));
  }

  @Test
  void egressNetworks_ipv6_firstMatchPerPort_andNoCrossingOfFamilies() {
    String p = anp("egress6", 3, "  egress:\n"
        + "  - {name: dns, action: Deny, to: [{networks: [\"2001:4860:4860::8888/128\"]}],"
        + " ports: [{portNumber: {protocol: UDP, port: 53}}]}\n"
        + "  - {name: intranet, action: Deny, to: [{networks: [\"fd00::/8\"]}]}\n"
        + "  - {name: v4, action: Deny, to: [{networks: [0.0.0.0/0]}]}\n"
        + "  - {name: ok, action: Allow, to: [{networks: [\"::/0\"]}]}\n");
    ClusterModel m = load(APPS + p);
    assertEquals("SCTP 1-65535,TCP 1-65535,UDP 1-52,54-65535", toIp(m, "a/api", "2001:4860:4860::8888/128"));
    assertEquals("No Connections", toIp(m, "a/api", "fd00:1::/32"));
    assertEquals("All Connections", toIp(m, "a/api", "2001:db8::1/128"));
    assertEquals("No Connections", toIp(m, "a/api", "1.1.1.1/32"), "0.0.0.0/0 is every IPv4 address");
    assertEquals("All Connections", toIp(m, "b/cli", "fd00::1/128"), "not a subject");
  }

  @Test
  void egressNetworks_passToAnIpv6Network_fallsToTheBaseline_unlessANetworkPolicySelects() {
    String pass = anp("pass6", 10, "  egress:\n  - {name: p, action: Pass, to: [{networks: [\"2001:db8::/32\"]}]}\n");
    String baselineDeny = banp("  egress:\n  - {name: d, action: Deny, to: [{networks: [\"::/0\"]}]}\n");
    assertEquals("No Connections", toIp(load(APPS + pass + baselineDeny), "a/api", "2001:db8::1/128"));
    assertEquals("All Connections", toIp(load(APPS + pass + baselineDeny), "a/api", "10.0.0.1/32"),
        "the baseline's ::/0 holds no IPv4 address");
    String npEgress = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: out, namespace: a}\n"
        + "spec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n"
        + "    - ipBlock: {cidr: \"2001:db8::/32\"}\n    ports: [{port: 443}]\n";
    assertEquals("TCP 443", toIp(load(APPS + pass + baselineDeny + npEgress), "a/api", "2001:db8::1/128"));
  }

  @Test
  void namedPort_takesTheContainersProtocol() {
    ClusterModel m = load(APPS + anp("named", 1, "  ingress:\n"
        + "  - {name: n, action: Allow, from: [{namespaces: {}}], ports: [{namedPort: http}]}\n"
        + "  - {name: d, action: Deny, from: [{namespaces: {}}]}\n"));
    assertEquals("TCP 80", allowed(m, "b/cli", "a/api"));
  }
}
