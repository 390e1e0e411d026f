package io.meshwarden.mode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.proposal.Proposal;
import io.meshwarden.proposal.ProposalCalculator;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.ServingMode;
import io.meshwarden.store.Store;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicySynthesizer;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.verdict.ServedNamespace;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamespaceModesTest {
  static final String CART = "default/Deployment/cartservice";

  static NamespaceModes.Refused refused(NamespaceModes.Outcome o) {
    return assertInstanceOf(NamespaceModes.Refused.class, o);
  }

  @Test
  void theLabelSetsDryRunWithTheNewestProposalAsShadowOnly(@TempDir Path dir) throws Exception {
    try (Boutique b = new Boutique(dir, "dry-run")) {
      NamespaceModes.Serving s = b.modes.serving("default").orElseThrow();
      assertEquals(ServingMode.DRY_RUN, s.mode());
      assertEquals("label", s.source());
      ServedNamespace served = b.modes.namespace("default").orElseThrow();
      assertEquals(b.version(), served.proposalVersion());
      assertNull(served.approvedVersion());
      PolicyLayers cart = s.layersOf(CART);
      assertNull(cart.rules());
      assertNotNull(cart.shadow());
      assertEquals(PolicyLayers.observe(), s.layersOf("default/Deployment/loadgenerator"), "no evidence, no policy");
      assertTrue(served.byWorkload().containsKey(CART), served.byWorkload().keySet().toString());
    }
  }

  @Test
  void plaintextCallersAreAdmittedByTheirPodsAddressesNextToTheirPrincipal(@TempDir Path dir) throws Exception {
    try (Boutique b = new Boutique(dir, "dry-run")) {
      List<Peer> peers = b.modes.serving("default").orElseThrow().layersOf(CART).shadow().ingress().stream()
          .filter(r -> r.port() == 7070 && r.isHttp()).findFirst().orElseThrow().peers();
      assertTrue(peers.stream().anyMatch(p -> p.kind() == Peer.Kind.WORKLOAD
          && p.workloadId().equals("default/Deployment/frontend")), peers.toString());
      assertTrue(peers.contains(Peer.cidr("10.8.0.10/32")), "frontend's pod address: " + peers);
    }
  }

  @Test
  void enforcingNeedsAKnownNewestVersionAndTheModeMustBeOne(@TempDir Path dir) throws Exception {
    try (Boutique b = new Boutique(dir, "dry-run")) {
      assertEquals("unknown_mode", refused(b.modes.request("default", "enforcing", null, "", "alice")).code());
      assertEquals("unknown_mode", refused(b.modes.request("default", null, null, "", "alice")).code());
      NamespaceModes.Refused unknown = refused(b.modes.request("default", "enforce", "abc", "", "alice"));
      assertEquals("unknown_version", unknown.code());
      assertTrue(unknown.message().contains(b.version()), "names the newest: " + unknown.message());
      // An older version, recorded before traffic grew.
      List<ObservedEdge> edges = ProposalCalculator.byNamespace(b.traffic.get().traffic().edges()).get("default");
      Proposal older = ProposalCalculator.compute("default", b.index.current().model(), edges.subList(1, edges.size()),
          PolicySynthesizer.Options.defaults(), 1);
      b.store.putProposal(new Store.Proposal("default", older.version(), older.toJson(), 1));
      NamespaceModes.Refused stale = refused(b.modes.request("default", "enforce", older.version(), "", "alice"));
      assertEquals(400, stale.status());
      assertEquals("stale_version", stale.code());
      assertEquals(ServingMode.DRY_RUN, b.modes.serving("default").orElseThrow().mode(), "nothing changed");
      assertEquals(List.of(), b.store.audit("default", 10).stream().filter(e -> e.action().equals("mode")).toList());
    }
  }

  @Test
  void theGateRefusesWhileTheDryRunWouldDenyUnlessAReasonOverridesIt(@TempDir Path dir) throws Exception {
    try (Boutique b = new Boutique(dir, "dry-run")) {
      String v = b.version();
      b.wouldDeny.put("default/" + v, 3L);
      NamespaceModes.Refused r = refused(b.modes.request("default", "enforce", v, "  ", "alice"));
      assertEquals(409, r.status());
      assertEquals("gate_refused", r.code());
      assertTrue(r.message().contains("3 would-deny"), r.message());
      assertEquals(ServingMode.DRY_RUN, b.modes.serving("default").orElseThrow().mode());

      NamespaceModes.Changed c = assertInstanceOf(NamespaceModes.Changed.class,
          b.modes.request("default", "enforce", v, "the 3 are a retired batch job", "alice"));
      assertTrue(c.overridden());
      assertEquals(3, c.wouldDeny());
      assertEquals(ServingMode.ENFORCE, c.serving().mode());
      Store.AuditEntry e = b.store.audit("default", 1).get(0);
      assertEquals(List.of("alice", "mode", "dry-run", "enforce", v, "the 3 are a retired batch job"),
          List.of(e.actor(), e.action(), e.from(), e.to(), e.version(), e.reason()));
      String line = b.log.stream().filter(l -> l.contains("\"event\":\"mode_change\"")).findFirst().orElseThrow();
      assertTrue(line.contains("\"override\":true") && line.contains("\"would_deny\":3") && line.contains(v)
          && !line.contains("\n"), line);
    }
  }

  @Test
  void enforceServesTheApprovedVersionAsRulesAndTheNewestAsShadow(@TempDir Path dir) throws Exception {
    try (Boutique b = new Boutique(dir, "dry-run")) {
      String v = b.version();
      assertInstanceOf(NamespaceModes.Changed.class, b.modes.request("default", "enforce", v, "", "alice"));
      NamespaceModes.Serving s = b.modes.serving("default").orElseThrow();
      assertEquals("api", s.source());
      assertEquals(v, s.served().approvedVersion());
      PolicyLayers cart = s.layersOf(CART);
      assertEquals(cart.rules(), cart.shadow(), "approved is the newest");
      assertEquals(v, b.store.latestApproval("default").orElseThrow().version());
    }
  }

  @Test
  void anApiModeWinsOverTheLabelUntilTheLabelChanges(@TempDir Path dir) throws Exception {
    try (Boutique b = new Boutique(dir, "dry-run")) {
      assertInstanceOf(NamespaceModes.Changed.class, b.modes.request("default", "observe", null, "pause", "alice"));
      b.label("dry-run");
      assertEquals(ServingMode.OBSERVE, b.modes.serving("default").orElseThrow().mode(), "the label did not change");
      b.label("enforce");
      NamespaceModes.Serving s = b.modes.serving("default").orElseThrow();
      assertEquals("label", s.source());
      assertEquals(ServingMode.ENFORCE, s.requested());
      assertEquals(ServingMode.DRY_RUN, s.mode(), "enforce by label needs an approved version");
      assertTrue(s.note().contains("approved"), s.note());
      assertEquals(Set.of(), b.store.modes().keySet(), "the API override is gone");
      Store.AuditEntry e = b.store.audit("default", 1).get(0);
      assertEquals(List.of(NamespaceModes.LABEL_ACTOR, "observe", "enforce"), List.of(e.actor(), e.from(), e.to()));
    }
  }

  @Test
  void aRestartOnTheSameStoreServesTheSame(@TempDir Path dir) throws Exception {
    ServedNamespace before;
    try (Boutique b = new Boutique(dir, "dry-run")) {
      b.modes.request("default", "enforce", b.version(), "", "alice");
      before = b.modes.namespace("default").orElseThrow();
    }
    try (Boutique b = new Boutique(dir, "dry-run")) {
      assertEquals(before, b.modes.namespace("default").orElseThrow());
      assertFalse(b.log.stream().anyMatch(l -> l.contains("\"event\":\"proposal\"")), "nothing new recorded");
    }
  }

  @Test
  void enforceWithoutAVersionNeedsADryRunPinFirst(@TempDir Path dir) throws Exception {
    try (Boutique b = new Boutique(dir, null)) {
      assertNull(b.modes.serving("default").orElseThrow().pin(), "observe pins nothing");
      NamespaceModes.Refused r = refused(b.modes.request("default", "enforce", " ", "", "alice"));
      assertEquals(400, r.status());
      assertEquals("missing_version", r.code());
      // Straight from observe to enforce with a named version: never dry-run on live traffic.
      NamespaceModes.Refused never = refused(b.modes.request("default", "enforce", b.version(), "", "alice"));
      assertEquals(409, never.status());
      assertEquals("not_dry_run", never.code());
      NamespaceModes.Changed c = assertInstanceOf(NamespaceModes.Changed.class,
          b.modes.request("default", "enforce", b.version(), "reviewed offline", "alice"));
      assertTrue(c.overridden());
      // A pin left from a dry-run before going back to observe is no default: nobody watched it since.
      b.modes.request("default", "dry-run", null, "", "alice");
      b.modes.request("default", "observe", null, "", "alice");
      assertEquals("missing_version", refused(b.modes.request("default", "enforce", null, "", "alice")).code());
    }
  }

  @Test
  void dryRunPinsTheNewestAndAProposalLearnedLaterDoesNotMoveIt(@TempDir Path dir) throws Exception {
    try (Boutique b = new Boutique(dir, null)) {
      String v1 = b.version();
      assertInstanceOf(NamespaceModes.Changed.class, b.modes.request("default", "dry-run", null, "", "alice"));
      String v2 = b.intrude();
      assertNotEquals(v1, v2, "the intruder's call is learned into a newer proposal");
      NamespaceModes.Serving s = b.modes.serving("default").orElseThrow();
      assertEquals(v2, s.newest().version());
      assertEquals(v1, s.pin().version());
      assertEquals(v1, s.served().proposalVersion(), "the live dry-run judges against the pinned version");
      PolicyLayers pay = s.layersOf("default/Deployment/paymentservice");
      assertFalse(pay.shadow().ingress().stream().anyMatch(r -> r.peers().stream()
          .anyMatch(p -> "default/Deployment/frontend".equals(p.workloadId()))), "the pin does not admit the intruder");
      assertEquals(v1, b.store.pins().get("default").version());
      Store.AuditEntry pin = b.store.audit("default", 10).stream().filter(e -> e.action().equals("pin")).findFirst()
          .orElseThrow();
      assertEquals(List.of("alice", v1), List.of(pin.actor(), pin.version()));

      // The newest is approved only by name, and it was never dry-run: refused unless a reason is given.
      assertEquals("not_dry_run", refused(b.modes.request("default", "enforce", v2, "", "alice")).code());
      // Enforce without a version approves the pin; its would-deny flows close the gate.
      b.wouldDeny.put("default/" + v1, 4L);
      NamespaceModes.Refused gate = refused(b.modes.request("default", "enforce", null, "", "alice"));
      assertEquals(List.of(409, "gate_refused"), List.of(gate.status(), gate.code()));
      NamespaceModes.Changed c = assertInstanceOf(NamespaceModes.Changed.class,
          b.modes.request("default", "enforce", null, "the intruder must be denied", "alice"));
      assertEquals(v1, c.serving().approved().version());
      assertEquals(v2, c.serving().served().proposalVersion(), "in enforce the newest is the shadow");
    }
  }

  @Test
  void reDryRunningPinsTheNamedVersionAndARestartKeepsThePin(@TempDir Path dir) throws Exception {
    String v2;
    String v1;
    try (Boutique b = new Boutique(dir, null)) {
      v1 = b.version();
      v2 = b.intrude();
      assertEquals("unknown_version", refused(b.modes.request("default", "dry-run", "abc", "", "alice")).code());
      assertInstanceOf(NamespaceModes.Changed.class, b.modes.request("default", "dry-run", v1, "review v1", "alice"));
      assertEquals(v1, b.modes.namespace("default").orElseThrow().proposalVersion());
      assertInstanceOf(NamespaceModes.Changed.class, b.modes.request("default", "dry-run", v2, "re-pin", "bob"));
      assertEquals(v2, b.modes.namespace("default").orElseThrow().proposalVersion());
    }
    try (Boutique b = new Boutique(dir, null)) {
      NamespaceModes.Serving s = b.modes.serving("default").orElseThrow();
      assertEquals(ServingMode.DRY_RUN, s.mode(), "the API's mode survives the restart");
      assertEquals(v1, s.newest().version(), "the same flows as before the intruder");
      assertEquals(v2, s.pin().version(), "the pin survives the restart");
      assertEquals(v2, s.served().proposalVersion());
      assertEquals(2, b.store.audit("default", 100).stream().filter(e -> e.action().equals("pin")).count());
    }
  }

  @Test
  void theLabelMovingToDryRunPinsTheNewestThen(@TempDir Path dir) throws Exception {
    try (Boutique b = new Boutique(dir, "dry-run")) {
      String v1 = b.version();
      assertEquals(v1, b.modes.serving("default").orElseThrow().pin().version());
      String v2 = b.intrude();
      assertEquals(v1, b.modes.namespace("default").orElseThrow().proposalVersion(), "still pinned");
      b.label("observe");
      assertNull(b.modes.namespace("default").orElseThrow().proposalVersion());
      b.label("dry-run");
      NamespaceModes.Serving s = b.modes.serving("default").orElseThrow();
      assertEquals(v2, s.pin().version());
      assertEquals(NamespaceModes.LABEL_ACTOR, s.pin().actor());
      assertEquals(v2, s.served().proposalVersion());
    }
  }
}
