package io.meshwarden.sidecar.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.ingest.traffic.TrafficLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import io.meshwarden.sidecar.Mode;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.listener.EnvoyTranslator;
import io.meshwarden.sidecar.netpol.NetworkPolicyWriter;
import io.meshwarden.sidecar.rbac.eval.InboundEvaluator;
import io.meshwarden.sidecar.rbac.eval.Request;
import io.meshwarden.sidecar.validate.ResourceValidator;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PolicySynthesizer;
import io.meshwarden.synthesis.Scope;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.TrafficModel;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated policy against the very traffic it was generated from, per dataset: Envoy RBAC (by our
 * evaluator) allows every observed request, denies unobserved workload/port pairs on the ports a
 * source watched, and leaves the others open; the NetworkPolicy form, fed back through the
 * connectivity engine, allows the observed L4 edges plus exactly what the proposal says stays open,
 * and a workload without evidence keeps its connections to and from the whole address space.
 */
class GeneratedFromTrafficTest {
  private static final String GA = "../graph-analyzer/src/test/resources/";

  static Stream<Arguments> datasets() {
    return Stream.of(
        Arguments.of("online-boutique", "default",
            List.of("../manifests/examples/online-boutique/upstream/release/kubernetes-manifests.yaml",
                "../manifests/examples/online-boutique/flows/endpointslices.yaml"),
            List.of("../manifests/examples/online-boutique/flows/envoy-inbound-access-log.jsonl")),
        Arguments.of("bookinfo-hubble", "bookinfo",
            List.of("../manifests/examples/istio-bookinfo/upstream/samples/bookinfo/platform/kube/bookinfo.yaml"),
            List.of(GA + "observed-traffic/hubble-flows/basic-sample-348-http-flows.json",
                GA + "observed-traffic/hubble-flows/basic-sample-400-tcp-flows.json")));
  }

  /** Observed workload edges only: the other peers are outside the manifests. */
  private static List<ObservedEdge> workloadEdges(TrafficModel t) {
    return t.edges().stream().filter(e -> e.key().source().isWorkload() && e.key().destination().isWorkload()).toList();
  }

  private static PolicySet generate(ClusterModel m, TrafficModel t) {
    // Entry points and probes are deliberate extras; this test is about what traffic alone justifies.
    var o = new PolicySynthesizer.Options("cluster.local", 1, null, 1000, false, false, false);
    return PolicySynthesizer.synthesize(m, t, o).policies();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("datasets")
  void envoyRbac_allowsEveryObservedRequest_deniesTheUnobservedOnWatchedPorts_andLeavesTheRestOpen(String name,
      String ns, List<String> manifests, List<String> flows) throws Exception {
    ClusterModel m = new ManifestLoader(false).defaultNamespace(ns).load(manifests).model();
    TrafficModel t = TrafficLoader.load(flows, m, TrafficLoader.Options.defaults()).traffic();
    List<ObservedEdge> edges = workloadEdges(t);
    assertFalse(edges.isEmpty(), name);
    PolicySet set = generate(m, t);
    Map<String, Workload> byId = new HashMap<>();
    m.workloads().forEach(w -> byId.put(w.id(), w));
    Map<String, InboundEvaluator> evaluators = new HashMap<>();
    for (WorkloadPolicy p : set.policies()) {
      var r = EnvoyTranslator.translate(p, Mode.ENFORCE, TranslatorOptions.DEFAULTS);
      assertEquals(List.of(), ResourceValidator.validate(r), p.workloadId());
      evaluators.put(p.workloadId(), InboundEvaluator.of(r.listeners().get(0)));
    }
    // RBAC knows callers by identity (service account), so workloads sharing one are one caller.
    Set<String> observed = new HashSet<>();
    for (ObservedEdge e : edges) {
      Workload src = byId.get(e.key().source().id());
      Workload dst = byId.get(e.key().destination().id());
      observed.add(src.spiffeId("cluster.local") + "|" + dst.id() + "|" + e.key().port());
      if (!evaluators.containsKey(dst.id())) {
        continue;
      }
      Request.Builder req = Request.builder().principal(src.spiffeId("cluster.local")).sourceIp("10.1.2.3")
          .destinationPort(e.key().port());
      if (e.key().method() != null) {
        req.method(e.key().method()).path(e.key().pathTemplate().replace("{id}", "123"));
      }
      assertTrue(evaluators.get(dst.id()).decide(req.build()).allowed(), name + ": observed " + e.key());
    }
    int denied = 0;
    for (Workload src : m.workloads()) {
      for (WorkloadPolicy p : set.policies()) {
        Workload dst = byId.get(p.workloadId());
        for (int port : ports(dst)) {
          if (src == dst || observed.contains(src.spiffeId("cluster.local") + "|" + dst.id() + "|" + port)) {
            continue;
          }
          Request req = Request.builder().principal(src.spiffeId("cluster.local")).sourceIp("10.1.2.3")
              .destinationPort(port).method("GET").path("/").build();
          boolean watched = p.ingressScope().restricts(Protocol.TCP, port);
          assertEquals(!watched, evaluators.get(dst.id()).decide(req).allowed(), name + ": never observed "
              + src.id() + " -> " + dst.id() + ":" + port + " (" + p.ingressScope().why() + ")");
          denied += watched ? 1 : 0;
        }
      }
    }
    assertTrue(denied > 0, name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("datasets")
  void networkPolicyForm_allowsTheObservedEdges_andOpensExactlyWhatNoSourceWatched(String name, String ns,
      List<String> manifests, List<String> flows) throws Exception {
    ClusterModel m = new ManifestLoader(false).defaultNamespace(ns).load(manifests).model();
    TrafficModel t = TrafficLoader.load(flows, m, TrafficLoader.Options.defaults()).traffic();
    PolicySet set = generate(m, t);
    Analyzed c = Analyzed.of(withGenerated(ns, manifests, set));
    Map<String, ConnectionSet> observed = observedPorts(t);
    for (Workload s : m.workloads()) {
      for (Workload d : m.workloads()) {
        if (s.id().equals(d.id())) {
          continue;
        }
        assertEquals(expected(set, observed, s.id(), d.id()), c.allowed(s, d),
            name + ": " + s.id() + " -> " + d.id());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("datasets")
  void workloadWithoutEvidence_keepsItsConnectionsToAndFromTheWholeAddressSpace(String name, String ns,
      List<String> manifests, List<String> flows) throws Exception {
    ClusterModel m = new ManifestLoader(false).defaultNamespace(ns).load(manifests).model();
    TrafficModel t = TrafficLoader.load(flows, m, TrafficLoader.Options.defaults()).traffic();
    PolicySet set = generate(m, t);
    List<Workload> unobserved = m.workloads().stream().filter(w -> set.forWorkload(w.id()).isEmpty()).toList();
    assertEquals(set.evidence().notEnoughEvidence().stream().map(u -> u.workloadId()).sorted().toList(),
        unobserved.stream().map(Workload::id).sorted().toList(), "every workload without policy is listed, with why");
    if (name.equals("online-boutique")) {
      assertEquals(List.of("default/Deployment/loadgenerator", "default/Deployment/redis-cart"),
          unobserved.stream().map(Workload::id).sorted().toList());
    }
    Analyzed before = Analyzed.of(withGenerated(ns, manifests, new PolicySet("cluster.local", List.of())));
    Analyzed after = Analyzed.of(withGenerated(ns, manifests, set));
    Map<String, ConnectionSet> observed = observedPorts(t);
    for (Workload w : unobserved) {
      List<Peer> from = after.c().externalPeers(IpRange.parseCidr("0.0.0.0/0"), true);
      List<Peer> to = after.c().externalPeers(IpRange.parseCidr("0.0.0.0/0"), false);
      assertFalse(from.isEmpty() || to.isEmpty());
      for (Peer ext : from) {
        assertEquals(before.c().allowed(ext, before.peer(w)), after.c().allowed(ext, after.peer(w)),
            name + ": " + ext + " -> " + w.id());
        assertEquals(ConnectionSet.ALL, after.c().allowed(ext, after.peer(w)), name + ": " + ext + " -> " + w.id());
      }
      for (Peer ext : to) {
        assertEquals(before.c().allowed(before.peer(w), ext), after.c().allowed(after.peer(w), ext),
            name + ": " + w.id() + " -> " + ext);
      }
      for (Workload o : m.workloads()) {
        if (o.id().equals(w.id())) {
          continue;
        }
        // Only the other side's own (evidenced) policy may narrow these; nothing selects w.
        assertEquals(sideOf(set, o.id(), false, observed.get(o.id() + "|" + w.id())),
            after.allowed(o, w), name + ": " + o.id() + " -> " + w.id());
        assertEquals(sideOf(set, o.id(), true, observed.get(w.id() + "|" + o.id())),
            after.allowed(w, o), name + ": " + w.id() + " -> " + o.id());
      }
    }
  }

  private static ClusterModel withGenerated(String ns, List<String> manifests, PolicySet set) throws Exception {
    StringBuilder all = new StringBuilder();
    for (String f : manifests) {
      all.append(Files.readString(Path.of(f))).append("\n---\n");
    }
    all.append(NetworkPolicyWriter.write(set));
    return new ManifestLoader(false).defaultNamespace(ns).load("generated.yaml", new StringReader(all.toString()))
        .model();
  }

  private static Map<String, ConnectionSet> observedPorts(TrafficModel t) {
    Map<String, ConnectionSet> out = new HashMap<>();
    for (ObservedEdge e : workloadEdges(t)) {
      out.merge(e.key().source().id() + "|" + e.key().destination().id(),
          ConnectionSet.port(e.key().protocol(), e.key().port()), ConnectionSet::union);
    }
    return out;
  }

  /** What the proposal says s -> d may do: each side restricts only within its scope. */
  private static ConnectionSet expected(PolicySet set, Map<String, ConnectionSet> observed, String s, String d) {
    ConnectionSet seen = observed.getOrDefault(s + "|" + d, ConnectionSet.NONE);
    return sideOf(set, s, false, seen).intersect(sideOf(set, d, true, seen));
  }

  private static ConnectionSet sideOf(PolicySet set, String workload, boolean ingress, ConnectionSet seen) {
    seen = seen == null ? ConnectionSet.NONE : seen;
    WorkloadPolicy p = set.forWorkload(workload).orElse(null);
    if (p == null) {
      return ConnectionSet.ALL;
    }
    Scope scope = ingress ? p.ingressScope() : p.egressScope();
    return switch (scope.extent()) {
      case OPEN -> ConnectionSet.ALL;
      case ALL -> seen;
      case PORTS -> {
        ConnectionSet watched = ConnectionSet.NONE;
        for (Scope.CoveredPort cp : scope.ports()) {
          watched = watched.union(ConnectionSet.port(cp.protocol(), cp.port()));
        }
        yield ConnectionSet.ALL.subtract(watched).union(seen.intersect(watched));
      }
    };
  }

  /** A model with its connectivity, looked up by workload id (workloads of another load differ in origin). */
  private record Analyzed(Map<String, Workload> byId, Connectivity c) {
    static Analyzed of(ClusterModel m) {
      Map<String, Workload> byId = new HashMap<>();
      m.workloads().forEach(w -> byId.put(w.id(), w));
      return new Analyzed(byId, ConnectivityAnalyzer.analyze(m));
    }

    Peer peer(Workload w) {
      return new Peer.WorkloadPeer(java.util.Objects.requireNonNull(byId.get(w.id()), w.id()));
    }

    ConnectionSet allowed(Workload s, Workload d) {
      return c.allowed(peer(s), peer(d));
    }
  }

  private static Set<Integer> ports(Workload w) {
    Set<Integer> out = new HashSet<>();
    for (Container c : w.containers()) {
      for (ContainerPort p : c.ports()) {
        out.add(p.port());
      }
    }
    return out;
  }
}
