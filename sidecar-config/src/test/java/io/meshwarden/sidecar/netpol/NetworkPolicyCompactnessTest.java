package io.meshwarden.sidecar.netpol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwarden.model.Protocol;
import io.meshwarden.sidecar.Fixtures;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.Provenance;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.PolicyPort;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Generated NetworkPolicies say what they allow in as few rules and blocks as allow it exactly. */
class NetworkPolicyCompactnessTest {
  private static final Fixtures.W WEB = new Fixtures.W("shop", "web", "web");
  private static final Fixtures.W API = new Fixtures.W("shop", "api", "api");
  private static final Provenance SEEN = new Provenance("observed", List.of(), 3, null, null);

  private static PortRule rule(int port, List<Peer> peers, HttpMatch... http) {
    return new PortRule(Protocol.TCP, port, null, peers, List.of(http), SEEN);
  }

  /** The written policy, read back by the manifest loader. */
  private static NetworkPolicy written(List<PortRule> ingress, List<PortRule> egress) throws Exception {
    WorkloadPolicy wp = new WorkloadPolicy("shop", WEB.id(), "web", WEB.labels(), "web", ingress, egress);
    String yaml = NetworkPolicyWriter.write(new PolicySet("cluster.local", List.of(wp)));
    return new ManifestLoader(false).load("np.yaml", new StringReader(yaml)).model().networkPolicies().get(0);
  }

  private static List<String> cidrs(NetworkPolicy.Rule r) {
    return r.peers().stream().filter(p -> p.ipBlock() != null).map(p -> p.ipBlock().cidr()).toList();
  }


  @Test
  void rulesSplitByHttpPath_becomeOneL4Rule() throws Exception {
    NetworkPolicy p = written(List.of(
        rule(8080, List.of(API.peer()), new HttpMatch("GET", "/a", false)),
        rule(8080, List.of(Peer.cidr("10.0.0.1/32")), new HttpMatch("GET", "/b", false)),
        rule(8080, List.of(API.peer()), new HttpMatch("POST", "/c", false))), List.of());
    assertEquals(1, p.ingress().size(), p.toString());
    assertEquals(2, p.ingress().get(0).peers().size(), p.toString());
    assertEquals(8080, p.ingress().get(0).ports().get(0).port().number());
  }

  @Test
  void ipBlocksUnderACoveringRange_disappear_andAdjacentRangesJoin() throws Exception {
    NetworkPolicy p = written(List.of(), List.of(
        rule(443, List.of(Peer.cidr("0.0.0.0/0"), Peer.cidr("203.0.113.7/32"), Peer.cidr("198.51.100.1/32"))),
        rule(5432, List.of(Peer.cidr("10.0.0.0/25"), Peer.cidr("10.0.0.128/25"), Peer.cidr("10.0.1.0/24")))));
    assertEquals(List.of("0.0.0.0/0"), cidrs(p.egress().get(0)), p.toString());
    assertEquals(List.of("10.0.0.0/23"), cidrs(p.egress().get(1)), p.toString());
  }

  @Test
  void portsWithTheSamePeers_shareARule_asRanges() throws Exception {
    List<Peer> api = List.of(API.peer());
    NetworkPolicy p = written(List.of(rule(9000, api), rule(9001, api), rule(9002, api), rule(9100, api)), List.of());
    assertEquals(1, p.ingress().size(), p.toString());
    List<PolicyPort> ports = p.ingress().get(0).ports();
    assertEquals(2, ports.size(), ports.toString());
    assertEquals(List.of(9000, 9002, 9100, 0), List.of(ports.get(0).port().number(), ports.get(0).endPort(),
        ports.get(1).port().number(), ports.get(1).endPort()));
  }

  @Test
  void cidrs_tileAnIntervalWithAlignedBlocks() {
    assertEquals(List.of("10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/32"), CompactRules.cidrs(List.of(
        IpRange.parseCidr("10.0.0.1/32"), IpRange.parseCidr("10.0.0.2/32"),
        IpRange.parseCidr("10.0.0.3/32"), IpRange.parseCidr("10.0.0.4/32"))));
    assertEquals(List.of("0.0.0.0/0"), CompactRules.cidrs(List.of(IpRange.ALL)));
  }

  @Test
  void cidrs_ipv6_tileLikeIpv4_andFamiliesStayApart() {
    assertEquals(List.of("10.0.0.1/32", "2001:db8::1/128", "2001:db8::2/127", "2001:db8::4/128"),
        CompactRules.cidrs(List.of(IpRange.parseCidr("2001:db8::4/128"), IpRange.parseCidr("2001:db8::1/128"),
            IpRange.parseCidr("2001:db8::2/128"), IpRange.parseCidr("2001:db8::3/128"),
            IpRange.parseCidr("10.0.0.1/32"))));
    assertEquals(List.of("::/0"), CompactRules.cidrs(List.of(IpRange.ALL_IPV6, IpRange.parseCidr("fd00::/8"))));
  }
}
