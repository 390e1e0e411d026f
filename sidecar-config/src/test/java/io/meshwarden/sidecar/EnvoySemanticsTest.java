package io.meshwarden.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.Protocol;
import io.meshwarden.sidecar.listener.EnvoyTranslator;
import io.meshwarden.sidecar.listener.GrpcTranslator;
import io.meshwarden.sidecar.rbac.eval.FilterDecision;
import io.meshwarden.sidecar.rbac.eval.InboundEvaluator;
import io.meshwarden.sidecar.rbac.eval.Request;
import io.meshwarden.sidecar.validate.ResourceValidator;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated Envoy RBAC, decided by our evaluator, means what the intent says: every rule's own
 * requests pass, a (source, port) outside the set does not, and DRY_RUN never denies while its
 * shadow verdicts equal the enforced ones.
 */
class EnvoySemanticsTest {
  static final TranslatorOptions OPTIONS = TranslatorOptions.DEFAULTS.withKubeletCidrs(List.of("10.128.0.0/16"));
  static final String INTRUDER = "spiffe://cluster.local/ns/evil/sa/intruder";

  /** One request the intent allows or denies, with the port rule it exercises. */
  record Case(WorkloadPolicy policy, Request request, boolean allowed, String why) {}

  static Stream<Arguments> sets() {
    return Stream.of(Arguments.of("small", Fixtures.small(), Fixtures.SMALL.stream().map(Fixtures.W::principal)),
        Arguments.of("boutique", Fixtures.boutique(), Fixtures.BOUTIQUE.stream().map(Fixtures.W::principal)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void enforce_allowsOwnRequestsAndDeniesTheRest(String name, PolicySet set, Stream<String> principals) {
    List<String> all = principals.map(p -> "spiffe://" + p).toList();
    int checked = 0;
    for (WorkloadPolicy wp : set.policies()) {
      WorkloadResources r = EnvoyTranslator.translate(wp, Mode.ENFORCE, OPTIONS);
      assertEquals(List.of(), ResourceValidator.validate(r), wp.workloadId());
      InboundEvaluator eval = InboundEvaluator.of(r.listeners().get(0));
      assertTrue(eval.unsupported().isEmpty());
      for (Case c : cases(wp, all)) {
        FilterDecision d = eval.decide(c.request());
        assertEquals(c.allowed(), d.allowed(), () -> c.why() + ": " + c.request() + " -> " + d);
        checked++;
      }
    }
    assertTrue(checked > 20, "checked " + checked);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void dryRun_neverDenies_andShadowMatchesEnforce(String name, PolicySet set, Stream<String> principals) {
    List<String> all = principals.map(p -> "spiffe://" + p).toList();
    for (WorkloadPolicy wp : set.policies()) {
      WorkloadResources dry = EnvoyTranslator.translate(wp, Mode.DRY_RUN, OPTIONS);
      assertEquals(List.of(), ResourceValidator.validate(dry), wp.workloadId());
      InboundEvaluator eval = InboundEvaluator.of(dry.listeners().get(0));
      for (Case c : cases(wp, all)) {
        FilterDecision d = eval.decide(c.request());
        assertTrue(d.allowed(), () -> "dry run denied " + c.request() + ": " + d);
        assertNotNull(d.shadow(), c.why());
        assertEquals(c.allowed(), d.shadow().allowed(), () -> c.why() + ": " + c.request() + " -> " + d);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void grpc_enforcesTheSamePolicyForGrpcRequests(String name, PolicySet set, Stream<String> principals) {
    List<String> all = principals.map(p -> "spiffe://" + p).toList();
    for (WorkloadPolicy wp : set.policies()) {
      WorkloadResources r = GrpcTranslator.translate(wp, Mode.ENFORCE, OPTIONS);
      assertEquals(List.of(), ResourceValidator.validateGrpc(r), wp.workloadId());
      Map<Integer, InboundEvaluator> byPort = r.listeners().stream().collect(Collectors.toMap(
          l -> l.getAddress().getSocketAddress().getPortValue(), InboundEvaluator::of));
      WorkloadResources dry = GrpcTranslator.translate(wp, Mode.DRY_RUN, OPTIONS);
      Map<Integer, InboundEvaluator> dryByPort = dry.listeners().stream().collect(Collectors.toMap(
          l -> l.getAddress().getSocketAddress().getPortValue(), InboundEvaluator::of));
      for (Case c : cases(wp, all)) {
        InboundEvaluator eval = byPort.get(c.request().destinationPort());
        boolean grpcShaped = c.request().toString().contains(" POST ") || !c.request().toString().contains(" /");
        if (eval == null || !grpcShaped) {
          continue;
        }
        assertEquals(c.allowed(), eval.decide(c.request()).allowed(), () -> c.why() + ": " + c.request());
        assertTrue(dryByPort.get(c.request().destinationPort()).decide(c.request()).allowed());
      }
    }
  }

  /** Each rule's own requests (allowed), then strangers, wrong ports and wrong requests (denied). */
  static List<Case> cases(WorkloadPolicy wp, List<String> principals) {
    List<Case> out = new ArrayList<>();
    for (PortRule rule : wp.ingress()) {
      if (rule.protocol() != Protocol.TCP) {
        continue;
      }
      Set<String> allowedPrincipals = rule.peers().stream().filter(p -> p.kind() == Peer.Kind.WORKLOAD)
          .map(p -> "spiffe://" + p.principal()).collect(Collectors.toSet());
      boolean openToAll = rule.peers().stream().anyMatch(p -> p.kind() == Peer.Kind.CIDR && p.cidr().endsWith("/0"));
      for (Peer peer : rule.peers()) {
        for (HttpMatch m : rule.isHttp() ? rule.http() : List.<HttpMatch>of(new HttpMatch(null, "/", true))) {
          Request.Builder b = source(peer).destinationPort(rule.port());
          if (rule.isHttp()) {
            b.method(m.method() == null ? "GET" : m.method()).path(m.prefix() ? m.path() + "x/y?q=1" : m.path());
          }
          out.add(new Case(wp, b.build(), true, wp.workloadId() + " own request of " + peer.key()));
          if (rule.isHttp()) {
            Request wrong = source(peer).destinationPort(rule.port()).method("DELETE").path("/not/allowed").build();
            out.add(new Case(wp, wrong, false, wp.workloadId() + " unlisted request of " + peer.key()));
          }
          Request otherPort = source(peer).destinationPort(1).build();
          out.add(new Case(wp, otherPort, false, wp.workloadId() + " unlisted port for " + peer.key()));
        }
      }
      if (!openToAll) {
        for (String p : principals) {
          if (!allowedPrincipals.contains(p)) {
            Request.Builder b = Request.builder().principal(p).sourceIp("10.8.9.9").destinationPort(rule.port());
            if (rule.isHttp()) {
              HttpMatch m = rule.http().get(0);
              b.method(m.method() == null ? "GET" : m.method()).path(m.path());
            }
            out.add(new Case(wp, b.build(), false, wp.workloadId() + ":" + rule.port() + " not for " + p));
          }
        }
        out.add(new Case(wp, Request.builder().principal(INTRUDER).sourceIp("10.99.0.1")
            .destinationPort(rule.port()).method("GET").path("/").build(), false, "intruder"));
      }
    }
    return out;
  }

  /** A source that is the peer: its principal (pod IP 10.8.x) or an address inside its CIDR. */
  static Request.Builder source(Peer peer) {
    return switch (peer.kind()) {
      case WORKLOAD -> Request.builder().principal("spiffe://" + peer.principal()).sourceIp("10.8.0.5");
      case CIDR -> Request.builder().sourceIp(peer.cidr().endsWith("/0") ? "198.51.100.7"
          : peer.cidr().substring(0, peer.cidr().lastIndexOf('.')) + ".9");
      case KUBELET -> Request.builder().sourceIp("10.128.3.4");
      case KUBE_DNS -> Request.builder().sourceIp("10.96.0.10");
    };
  }

  @org.junit.jupiter.api.Test
  void translation_isDeterministic() {
    PolicySet a = Fixtures.boutique();
    PolicySet b = Fixtures.boutique();
    for (int i = 0; i < a.policies().size(); i++) {
      for (Mode mode : Mode.values()) {
        assertEquals(ResourceJson.print(EnvoyTranslator.translate(a.policies().get(i), mode, OPTIONS)),
            ResourceJson.print(EnvoyTranslator.translate(b.policies().get(i), mode, OPTIONS)));
        assertEquals(EnvoyTranslator.translate(a.policies().get(i), mode, OPTIONS).listeners().get(0).toByteString(),
            EnvoyTranslator.translate(b.policies().get(i), mode, OPTIONS).listeners().get(0).toByteString());
      }
    }
    assertFalse(EnvoyTranslator.translate(a.policies().get(0), Mode.ENFORCE, OPTIONS).listeners().isEmpty());
  }
}
