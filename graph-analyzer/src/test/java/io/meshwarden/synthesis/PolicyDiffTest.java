package io.meshwarden.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.EdgeStats;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyDiffTest {
  static final String PAY = "default/Deployment/paymentservice";
  static final String CHECKOUT = "default/Deployment/checkoutservice";
  static final String FRONTEND = "default/Deployment/frontend";
  static final String CHARGE = "/hipstershop.PaymentService/Charge";
  static final Instant T = Instant.parse("2026-11-30T02:00:00Z");

  static Peer workload(String id) {
    return Peer.workload(id, "default", Map.of("app", id.substring(id.lastIndexOf('/') + 1)), "cluster.local/ns/default/sa/x");
  }

  static PortRule rule(List<Peer> peers, String path, long flows) {
    return new PortRule(Protocol.TCP, 50051, "grpc", peers, List.of(new HttpMatch("POST", path, false)),
        new Provenance("observed", List.of("edge"), flows, T, T.plusSeconds(60)));
  }

  static WorkloadPolicy policy(PortRule... ingress) {
    return new WorkloadPolicy("default", PAY, "paymentservice", Map.of("app", "paymentservice"), "default",
        List.of(ingress), List.of());
  }

  static ObservedEdge edge(String from, String path, long count, Instant first) {
    return new ObservedEdge(new EdgeKey(PeerRef.workload(from), PeerRef.workload(PAY), Protocol.TCP, 50051, "POST", path),
        new EdgeStats(count, 0, first, first.plusSeconds(30), 0, new Origin("als", 1)));
  }

  @Test
  void aPeerJoiningASharedRuleIsOneAddedGrantWithItsOwnFlows() {
    WorkloadPolicy enforced = policy(rule(List.of(workload(CHECKOUT)), CHARGE, 40));
    WorkloadPolicy proposed = policy(rule(List.of(workload(CHECKOUT), workload(FRONTEND)), CHARGE, 43));
    List<ObservedEdge> edges = List.of(edge(CHECKOUT, CHARGE, 40, T), edge(FRONTEND, CHARGE, 3, T.plusSeconds(600)),
        edge(FRONTEND, "/hipstershop.PaymentService/Refund", 7, T));

    PolicyDiff.Result d = PolicyDiff.of(PAY, enforced, proposed, edges);

    assertTrue(d.changed());
    assertEquals(1, d.added().size(), d.toString());
    PolicyDiff.Entry added = d.added().get(0);
    assertEquals(FRONTEND, added.grant().peer().workloadId());
    assertEquals(new HttpMatch("POST", CHARGE, false), added.grant().request());
    assertEquals(PolicyDiff.Direction.INGRESS, added.grant().direction());
    assertEquals(new PolicyDiff.Observed(3, T.plusSeconds(600), T.plusSeconds(630), 1), added.observed(),
        "only the frontend's Charge calls, not its Refund calls nor checkout's");
    assertEquals(43, added.rule().flows(), "the rule's provenance in the new version");
    assertEquals(List.of(), d.removed());
    assertEquals(1, d.unchanged().size());
    assertEquals(40, d.unchanged().get(0).observed().flows());
  }

  @Test
  void aGrantOnlyTheOldVersionHasIsRemovedWithTheOldRulesProvenance() {
    WorkloadPolicy old = policy(rule(List.of(workload(CHECKOUT)), CHARGE, 40),
        rule(List.of(workload(FRONTEND)), "/hipstershop.PaymentService/Refund", 5));
    WorkloadPolicy now = policy(rule(List.of(workload(CHECKOUT)), CHARGE, 41));
    PolicyDiff.Result d = PolicyDiff.of(PAY, old, now, List.of());
    assertEquals(1, d.removed().size());
    assertEquals("/hipstershop.PaymentService/Refund", d.removed().get(0).grant().request().path());
    assertEquals(5, d.removed().get(0).rule().flows());
    assertEquals(PolicyDiff.Observed.NONE, d.removed().get(0).observed(), "not seen in the edges given");
    assertEquals(List.of(), d.added());
  }

  @Test
  void noPolicyOnEitherSideGrantsNothing() {
    WorkloadPolicy p = policy(rule(List.of(workload(CHECKOUT)), CHARGE, 40));
    assertEquals(1, PolicyDiff.of(PAY, null, p, List.of()).added().size(), "nothing enforced: all of it is new");
    assertEquals(1, PolicyDiff.of(PAY, p, null, List.of()).removed().size());
    assertFalse(PolicyDiff.of(PAY, p, p, List.of()).changed());
    assertFalse(PolicyDiff.of(PAY, null, null, List.of()).changed());
  }

  @Test
  void anL4RuleIsOneGrantPerPeerAndPrefixesAdmitTheirPaths() {
    PortRule l4 = new PortRule(Protocol.TCP, 6379, null, List.of(workload(CHECKOUT), Peer.cidr("203.0.113.7/32")),
        List.of(), Provenance.system("probe"));
    Map<PolicyDiff.Grant, Provenance> grants = PolicyDiff.grants(policy(l4));
    assertEquals(2, grants.size());
    assertTrue(grants.keySet().stream().allMatch(g -> g.request() == null));
    assertTrue(PolicyDiff.samePeer(Peer.cidr("203.0.113.7/32"), PeerRef.external("203.0.113.7")));
    assertTrue(PolicyDiff.samePeer(Peer.cidr("0.0.0.0/0"), PeerRef.INTERNET));
    assertFalse(PolicyDiff.samePeer(workload(CHECKOUT), PeerRef.workload(FRONTEND)));
    assertTrue(PolicyDiff.admits(new HttpMatch("GET", "/product/", true), "GET", "/product/{id}"));
    assertFalse(PolicyDiff.admits(new HttpMatch("GET", "/product/", true), "POST", "/product/{id}"));
    assertFalse(PolicyDiff.admits(new HttpMatch(null, "/cart", false), null, null), "an L4 flow is no request");
    assertNull(PolicyDiff.Observed.NONE.firstSeen());
  }
}
