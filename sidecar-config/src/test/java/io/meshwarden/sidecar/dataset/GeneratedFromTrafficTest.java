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
 * evaluator) allows every observed request and no workload/port pair that was not observed; the
 * NetworkPolicy form, fed back through the connectivity engine, allows the same L4 edges.
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
  void envoyRbac_allowsEveryObservedRequest_andNothingElse(String name, String ns, List<String> manifests,
      List<String> flows) throws Exception {
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
      Request.Builder req = Request.builder().principal(src.spiffeId("cluster.local")).sourceIp("10.1.2.3")
          .destinationPort(e.key().port());
      if (e.key().method() != null) {
        req.method(e.key().method()).path(e.key().pathTemplate().replace("{id}", "123"));
      }
      assertTrue(evaluators.get(dst.id()).decide(req.build()).allowed(), name + ": observed " + e.key());
    }
    int denied = 0;
    for (Workload src : m.workloads()) {
      for (Workload dst : m.workloads()) {
        for (int port : ports(dst)) {
          if (src == dst || observed.contains(src.spiffeId("cluster.local") + "|" + dst.id() + "|" + port)) {
            continue;
          }
          Request req = Request.builder().principal(src.spiffeId("cluster.local")).sourceIp("10.1.2.3")
              .destinationPort(port).method("GET").path("/").build();
          assertFalse(evaluators.get(dst.id()).decide(req).allowed(), name + ": never observed " + src.id() + " -> "
              + dst.id() + ":" + port);
          denied++;
        }
      }
    }
    assertTrue(denied > 0, name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("datasets")
  void networkPolicyForm_allowsTheSameL4Edges(String name, String ns, List<String> manifests, List<String> flows)
      throws Exception {
    ClusterModel m = new ManifestLoader(false).defaultNamespace(ns).load(manifests).model();
    TrafficModel t = TrafficLoader.load(flows, m, TrafficLoader.Options.defaults()).traffic();
    PolicySet set = generate(m, t);
    StringBuilder all = new StringBuilder();
    for (String f : manifests) {
      all.append(Files.readString(Path.of(f))).append("\n---\n");
    }
    all.append(NetworkPolicyWriter.write(set));
    ClusterModel enforced = new ManifestLoader(false).defaultNamespace(ns).load("generated.yaml",
        new StringReader(all.toString())).model();
    Connectivity c = ConnectivityAnalyzer.analyze(enforced);
    Map<String, ConnectionSet> expected = new HashMap<>();
    for (ObservedEdge e : workloadEdges(t)) {
      expected.merge(e.key().source().id() + "|" + e.key().destination().id(),
          ConnectionSet.port(e.key().protocol(), e.key().port()), ConnectionSet::union);
    }
    for (Workload s : enforced.workloads()) {
      for (Workload d : enforced.workloads()) {
        if (s == d) {
          continue;
        }
        ConnectionSet got = c.allowed(new Peer.WorkloadPeer(s), new Peer.WorkloadPeer(d));
        assertEquals(expected.getOrDefault(s.id() + "|" + d.id(), ConnectionSet.NONE), got,
            name + ": " + s.id() + " -> " + d.id());
      }
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
