package io.meshwarden.ingest.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.Origin;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CIDRs are checked where they are read, as the API server checks them: what it refuses is an
 * error naming the file, the line of the rule and the value (code {@code invalid-cidr}); what it
 * accepts with a warning (host bits set) is analysed as its network, with our warning.
 */
class CidrValidationTest {
  private static String networkPolicy(String cidr, String except) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: p, namespace: shop}
        spec:
          podSelector: {}
          ingress:
          - ports: [{port: 80}]
          - from:
            - ipBlock: {cidr: "%s"%s}
        """.formatted(cidr, except == null ? "" : ", except: [\"" + except + "\"]");
  }

  private static String adminPolicy(String network) {
    return """
        apiVersion: policy.networking.k8s.io/v1alpha1
        kind: AdminNetworkPolicy
        metadata: {name: egress}
        spec:
          priority: 10
          subject: {namespaces: {}}
          egress:
          - name: dns
            action: Allow
            to:
            - networks: ["8.8.8.8/32", "%s"]
        """.formatted(network);
  }

  private static LoadResult load(String yaml, boolean keepGoing) throws ManifestException {
    return new ManifestLoader(keepGoing).load("policies.yaml", new StringReader(yaml));
  }

  @ParameterizedTest
  @ValueSource(strings = {"zc00::/8", "10.0.0.0/33", "fd00::/129", "10.0.0.256/8", "fd00::/", "fd00:::1/64",
      "1:2:3:4:5:6:7:8:9/64", "fe80::1%eth0/64", "10.0.0.0", ""})
  void anIpBlockTheApiServerRefuses_isAnErrorNamingFileLineAndValue(String cidr) {
    ManifestException e = assertThrows(ManifestException.class, () -> load(networkPolicy(cidr, null), false));
    assertEquals(Cidrs.INVALID, e.code());
    assertTrue(e.getMessage().startsWith("policies.yaml:8: "), "the line of the rule: " + e.getMessage());
    assertTrue(e.getMessage().contains("CIDR error: invalid CIDR address: " + (cidr.isEmpty() ? "\"\"" : cidr)),
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"zc00::/8", "10.0.0.0/33", "::ffff:10.0.0.0/104"})
  void anAdminNetworkPolicyNetworkTheApiServerRefuses_isAnError(String cidr) {
    ManifestException e = assertThrows(ManifestException.class, () -> load(adminPolicy(cidr), false));
    assertEquals(Cidrs.INVALID, e.code());
    assertTrue(e.getMessage().startsWith("policies.yaml:8: "), "the line of the rule: " + e.getMessage());
    assertTrue(e.getMessage().contains(cidr), e.getMessage());
  }

  @Test
  void anIpv6AdminNetworkPolicyNetwork_isRead() throws Exception {
    LoadResult r = load(adminPolicy("fd00::/8"), false);
    AdminNetworkPolicy anp = r.model().adminNetworkPolicies().get(0);
    assertEquals(List.of("8.8.8.8/32", "fd00::/8"), anp.egress().get(0).peers().get(0).networks());
    assertTrue(r.warnings().isEmpty(), "no 'IPv6 not supported' warning any more: " + r.warnings());
  }

  @Test
  void hostBitsSet_isAcceptedAsItsNetworkWithKubernetesWarning() throws Exception {
    LoadResult r = load(networkPolicy("10.0.0.1/24", null) + "---\n" + adminPolicy("fd00::1/8"), false);
    NetworkPolicy np = r.model().networkPolicies().get(0);
    assertEquals(List.of(IpRange.parseCidr("10.0.0.0/24")), np.ingress().get(1).peers().get(0).ipBlock().ranges());
    assertEquals(2, r.warnings().size(), r.warnings().toString());
    assertTrue(r.warnings().get(0).message().contains("\"10.0.0.1/24\" is ambiguous (should be \"10.0.0.0/24\" or "
        + "\"10.0.0.1/32\"?)"), r.warnings().get(0).toString());
    assertTrue(r.warnings().get(1).message().contains(
        "\"fd00::1/8\" is ambiguous (should be \"fd00::/8\" or \"fd00::1/128\"?)"), r.warnings().get(1).toString());
    // Values, not prose: a stable code, the severity and the place, which the console line starts with.
    assertEquals(List.of("ambiguous-cidr", "ambiguous-cidr"), r.warnings().stream().map(Diagnostic::code).toList());
    assertEquals(Diagnostic.Severity.WARNING, r.warnings().get(0).severity());
    Origin at = r.warnings().get(0).origin();
    assertEquals("policies.yaml", at.file());
    assertTrue(at.line() > 1, "the ipBlock's own line: " + at);
    assertEquals(at + ": " + r.warnings().get(0).message(), r.warnings().get(0).toString());
  }

  @Test
  void anIpv4MappedIpBlock_isReadAsTheIpv4NetworkWithAWarning() throws Exception {
    LoadResult r = load(networkPolicy("::ffff:10.0.0.0/104", null), false);
    assertEquals(List.of(IpRange.parseCidr("10.0.0.0/8")),
        r.model().networkPolicies().get(0).ingress().get(1).peers().get(0).ipBlock().ranges());
    assertTrue(r.warnings().get(0).message().contains("IPv4-mapped"), r.warnings().toString());
    assertEquals("ipv4-mapped-cidr", r.warnings().get(0).code());
  }

  @ParameterizedTest
  @ValueSource(strings = {"11.0.0.0/16", "10.0.0.0/8", "fd00::/16", "zc00::/16"})
  void anExceptionThatIsNoStrictSubsetOfTheCidr_isAnError(String except) {
    ManifestException e = assertThrows(ManifestException.class, () -> load(networkPolicy("10.0.0.0/8", except), false));
    assertEquals(Cidrs.INVALID, e.code());
    assertTrue(e.getMessage().contains(except), e.getMessage());
  }

  @Test
  void ipv6IpBlockWithExcept_isTheCidrMinusTheException() throws Exception {
    LoadResult r = load(networkPolicy("fd00::/8", "fd00:1::/32"), false);
    assertEquals("[fd00::-fd00:0:ffff:ffff:ffff:ffff:ffff:ffff, fd00:2::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]",
        r.model().networkPolicies().get(0).ingress().get(1).peers().get(0).ipBlock().ranges().toString());
  }

  @Test
  void keepGoing_skipsThePolicyAndReportsTheError() throws Exception {
    LoadResult r = load(adminPolicy("fd00::/8") + "---\n" + networkPolicy("zc00::/8", null), true);
    assertTrue(r.model().networkPolicies().isEmpty(), "nothing half-applied");
    assertEquals(1, r.model().adminNetworkPolicies().size(), "the rest is read");
    assertEquals(1, r.errors().size());
    Diagnostic error = r.errors().get(0);
    assertTrue(error.toString().startsWith("policies.yaml:20: ") && error.message().contains("zc00::/8"),
        error.toString());
    // Under --keep-going an error is reported, not downgraded: its severity and code stay.
    assertEquals(Diagnostic.Severity.ERROR, error.severity());
    assertEquals(Cidrs.INVALID, error.code());
  }
}
