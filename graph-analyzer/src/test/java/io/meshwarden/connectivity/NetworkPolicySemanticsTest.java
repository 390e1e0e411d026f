package io.meshwarden.connectivity;

import static io.meshwarden.connectivity.Fixtures.allowed;
import static io.meshwarden.connectivity.Fixtures.deployment;
import static io.meshwarden.connectivity.Fixtures.fromIp;
import static io.meshwarden.connectivity.Fixtures.load;
import static io.meshwarden.connectivity.Fixtures.namespace;
import static io.meshwarden.connectivity.Fixtures.toIp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwarden.model.ClusterModel;
import org.junit.jupiter.api.Test;

/** One test per networking.k8s.io/v1 rule, each on the smallest cluster that shows it. */
class NetworkPolicySemanticsTest {
  private static final String APPS = namespace("shop", "team=a") + namespace("ops", "team=b")
      + deployment("shop", "web", "app=web,tier=front", "http:8080")
      + deployment("shop", "db", "app=db,tier=back", "sql:5432,dns:53/UDP")
      + deployment("ops", "probe", "app=probe", "")
      + deployment("ops", "web", "app=web", "http:8080");

  private static String policy(String ns, String name, String spec) {
    return "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: " + name
        + "\n  namespace: " + ns + "\nspec:\n" + spec;
  }

  @Test
  void noPolicy_allowsEverything() {
    ClusterModel m = load(APPS);
    assertEquals("All Connections", allowed(m, "shop/web", "shop/db"));
    assertEquals("All Connections", fromIp(m, "8.8.8.8/32", "shop/db"));
    assertEquals("All Connections", toIp(m, "shop/db", "8.8.8.8/32"));
  }

  @Test
  void emptyPodSelector_selectsEveryPodInItsNamespaceOnly() {
    ClusterModel m = load(APPS + policy("shop", "deny", "  podSelector: {}\n  policyTypes: [Ingress]\n"));
    assertEquals("No Connections", allowed(m, "ops/probe", "shop/db"));
    assertEquals("No Connections", allowed(m, "shop/db", "shop/web"));
    assertEquals("All Connections", allowed(m, "shop/db", "ops/web"));
  }

  @Test
  void policyTypesInferred_ingressAlwaysEgressOnlyWithEgressRules() {
    ClusterModel m = load(APPS + policy("shop", "only-ingress", "  podSelector: {}\n"));
    assertEquals("No Connections", allowed(m, "ops/probe", "shop/db"));
    assertEquals("All Connections", allowed(m, "shop/db", "ops/probe"), "egress not isolated");
    ClusterModel withEgress = load(APPS + policy("shop", "eg", "  podSelector: {}\n  egress:\n  - to:\n"
        + "    - podSelector: {matchLabels: {app: db}}\n"));
    assertEquals("No Connections", allowed(withEgress, "shop/db", "ops/probe"), "egress isolated by inference");
    assertEquals("No Connections", allowed(withEgress, "ops/probe", "shop/db"), "ingress isolated too");
  }

  @Test
  void absentFromAndAbsentPorts_allowAll() {
    ClusterModel m = load(APPS + policy("shop", "open", "  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - {}\n"));
    assertEquals("All Connections", allowed(m, "ops/probe", "shop/db"));
    assertEquals("All Connections", fromIp(m, "1.2.3.4/32", "shop/db"));
  }

  @Test
  void podSelectorWithoutNamespaceSelector_meansSameNamespace() {
    ClusterModel m = load(APPS + policy("shop", "p", "  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - from:\n"
        + "    - podSelector: {matchLabels: {app: web}}\n"));
    assertEquals("All Connections", allowed(m, "shop/web", "shop/db"));
    assertEquals("No Connections", allowed(m, "ops/web", "shop/db"));
  }

  @Test
  void selectorsInOnePeerAreAnded_separatePeersAreOred() {
    String and = "  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - from:\n"
        + "    - namespaceSelector: {matchLabels: {team: b}}\n      podSelector: {matchLabels: {app: web}}\n";
    ClusterModel m = load(APPS + policy("shop", "and", and));
    assertEquals("All Connections", allowed(m, "ops/web", "shop/db"));
    assertEquals("No Connections", allowed(m, "ops/probe", "shop/db"));
    assertEquals("No Connections", allowed(m, "shop/web", "shop/db"));
    String or = "  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - from:\n"
        + "    - namespaceSelector: {matchLabels: {team: b}}\n    - podSelector: {matchLabels: {app: web}}\n";
    ClusterModel m2 = load(APPS + policy("shop", "or", or));
    assertEquals("All Connections", allowed(m2, "ops/probe", "shop/db"));
    assertEquals("All Connections", allowed(m2, "shop/web", "shop/db"));
  }

  @Test
  void emptyNamespaceSelector_matchesEveryNamespace() {
    ClusterModel m = load(APPS + policy("shop", "p", "  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - from:\n"
        + "    - namespaceSelector: {}\n"));
    assertEquals("All Connections", allowed(m, "ops/probe", "shop/db"));
    assertEquals("No Connections", fromIp(m, "1.2.3.4/32", "shop/db"), "selectors never match IPs");
  }

  @Test
  void implicitNamespaceNameLabel_isSelectable() {
    ClusterModel m = load(APPS + policy("shop", "p", "  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - from:\n"
        + "    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}\n"));
    assertEquals("All Connections", allowed(m, "ops/probe", "shop/db"));
    assertEquals("No Connections", allowed(m, "shop/web", "shop/db"));
  }

  @Test
  void matchExpressions_allOperators() {
    String spec = "  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - from:\n    - namespaceSelector: {}\n"
        + "      podSelector:\n        matchExpressions:\n%s";
    ClusterModel in = load(APPS + policy("shop", "p", String.format(spec,
        "        - {key: app, operator: In, values: [web, other]}\n")));
    assertEquals("All Connections", allowed(in, "ops/web", "shop/db"));
    assertEquals("No Connections", allowed(in, "ops/probe", "shop/db"));
    ClusterModel notIn = load(APPS + policy("shop", "p", String.format(spec,
        "        - {key: app, operator: NotIn, values: [web]}\n")));
    assertEquals("No Connections", allowed(notIn, "ops/web", "shop/db"));
    assertEquals("All Connections", allowed(notIn, "ops/probe", "shop/db"));
    ClusterModel exists = load(APPS + policy("shop", "p", String.format(spec,
        "        - {key: tier, operator: Exists}\n")));
    assertEquals("All Connections", allowed(exists, "shop/web", "shop/db"));
    assertEquals("No Connections", allowed(exists, "ops/probe", "shop/db"));
    ClusterModel absent = load(APPS + policy("shop", "p", String.format(spec,
        "        - {key: tier, operator: DoesNotExist}\n")));
    assertEquals("No Connections", allowed(absent, "shop/web", "shop/db"));
    assertEquals("All Connections", allowed(absent, "ops/probe", "shop/db"));
  }

  /**
   * The addresses of one family that the ipBlock tests use, so that each ipBlock rule is checked
   * for IPv4 and, with the same shape, for IPv6.
   */
  record Family(String name, String net8, String except16, String inside16, String inExcept24, String outside8,
      String all, String publicHost, String privateHost, String otherFamilyNet) {
    @Override
    public String toString() {
      return name;
    }
  }

  static java.util.stream.Stream<Family> families() {
    return java.util.stream.Stream.of(
        new Family("IPv4", "10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16", "10.1.2.0/24", "11.0.0.0/8", "0.0.0.0/0",
            "8.8.8.8/32", "10.0.0.1/32", "fd00::/8"),
        new Family("IPv6", "fd00::/8", "fd01::/16", "fd02::/16", "fd01:2::/32", "fe00::/8", "::/0",
            "2001:4860:4860::8888/128", "fd00::1/128", "10.0.0.0/8"));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("families")
  void ipBlockWithExcept(Family f) {
    ClusterModel m = load(APPS + policy("shop", "p", "  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - from:\n"
        + "    - ipBlock: {cidr: \"" + f.net8() + "\", except: [\"" + f.except16() + "\"]}\n"));
    assertEquals("All Connections", fromIp(m, f.inside16(), "shop/db"));
    assertEquals("No Connections", fromIp(m, f.inExcept24(), "shop/db"));
    assertEquals("No Connections", fromIp(m, f.outside8(), "shop/db"));
    assertEquals("No Connections", fromIp(m, f.otherFamilyNet(), "shop/db"), "a CIDR admits its own family only");
    assertEquals("No Connections", allowed(m, "shop/web", "shop/db"), "ipBlock never matches pods");
  }

  @Test
  void namedPort_resolvesPerDestinationAndProtocol() {
    ClusterModel m = load(APPS + policy("shop", "p", "  podSelector: {}\n  ingress:\n  - ports:\n"
        + "    - port: http\n    - port: dns\n      protocol: UDP\n    - port: sql\n      protocol: UDP\n"));
    assertEquals("TCP 8080", allowed(m, "shop/db", "shop/web"));
    assertEquals("UDP 53", allowed(m, "shop/web", "shop/db"), "sql is TCP, so the UDP clause does not resolve");
  }

  @Test
  void endPort_givesARange_andProtocolsStayApart() {
    ClusterModel m = load(APPS + policy("shop", "p", "  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - ports:\n"
        + "    - {port: 5000, endPort: 5010}\n    - {port: 5011, protocol: TCP}\n    - {protocol: SCTP}\n"
        + "    - {port: 53, protocol: UDP}\n"));
    assertEquals("SCTP 1-65535,TCP 5000-5011,UDP 53", allowed(m, "shop/web", "shop/db"));
  }

  @Test
  void connectionNeedsSourceEgressAndDestinationIngress() {
    String egress = policy("shop", "eg", "  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n"
        + "  egress:\n  - ports: [{port: 5432}, {port: 6000}]\n");
    String ingress = policy("shop", "in", "  podSelector: {matchLabels: {app: db}}\n  ingress:\n"
        + "  - ports: [{port: 5432}, {port: 7000}]\n");
    ClusterModel m = load(APPS + egress + ingress);
    assertEquals("TCP 5432", allowed(m, "shop/web", "shop/db"));
    assertEquals("TCP 5432,6000", toIp(m, "shop/web", "1.1.1.1/32"), "external side has no ingress to check");
  }

  @Test
  void policiesSelectingOnePod_areUnioned() {
    String a = policy("shop", "a", "  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - ports: [{port: 1}]\n");
    String b = policy("shop", "b", "  podSelector: {matchLabels: {tier: back}}\n  ingress:\n  - ports: [{port: 2}]\n");
    ClusterModel m = load(APPS + a + b);
    assertEquals("TCP 1-2", allowed(m, "shop/web", "shop/db"));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("families")
  void egressIpBlock_andDnsToEverything(Family f) {
    ClusterModel m = load(APPS + policy("shop", "p", "  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n"
        + "  egress:\n  - to:\n    - ipBlock: {cidr: \"" + f.all() + "\", except: [\"" + f.net8() + "\"]}\n"
        + "    ports: [{port: 443}]\n  - ports: [{port: 53, protocol: UDP}]\n"));
    assertEquals("TCP 443,UDP 53", toIp(m, "shop/web", f.publicHost()));
    assertEquals("UDP 53", toIp(m, "shop/web", f.privateHost()));
    assertEquals("UDP 53", allowed(m, "shop/web", "shop/db"));
  }
}
