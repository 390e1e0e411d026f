package io.meshwarden.connectivity;

import io.meshwarden.model.IpRange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The trace must agree with the evaluator on every pair and port, across all policy tiers. */
class ExplainerTest {
  static Stream<String> suiteDirs() throws Exception {
    try (Stream<Path> s = Files.list(Path.of("src/test/resources/np-guard-netpol-analyzer/tests"))) {
      return s.map(Path::toString).filter(p -> p.contains("anp_test") || p.contains("banp_test")
          || p.contains("onlineboutique_workloads") || p.contains("with_end_port") || p.contains("ipblock")
          || p.contains("netpol_named_port")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("suiteDirs")
  void explanationAgreesWithEvaluation(String dir) throws Exception {
    ClusterModel m = new ManifestLoader(true).load(List.of(dir)).model();
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    int checked = 0;
    int[][] ports = {{6, 80}, {6, 8080}, {6, 9090}, {17, 53}, {17, 5353}, {132, 9003}, {6, 1}};
    for (Workload s : m.workloads()) {
      for (Workload d : m.workloads()) {
        if (s == d) {
          continue;
        }
        Peer src = new Peer.WorkloadPeer(s);
        Peer dst = new Peer.WorkloadPeer(d);
        ConnectionSet allowed = c.allowed(src, dst);
        for (int[] p : ports) {
          Protocol proto = p[0] == 6 ? Protocol.TCP : p[0] == 17 ? Protocol.UDP : Protocol.SCTP;
          Explanation e = c.explain(src, dst, proto, p[1]);
          assertEquals(allowed.contains(proto, p[1]), e.allowed(),
              dir + ": " + e.render(src.displayName() + " -> " + dst.displayName() + " " + proto + " " + p[1]));
          checked++;
        }
      }
      for (IpRange r : c.destinationRanges()) {
        Explanation e = c.explain(new Peer.WorkloadPeer(s), new Peer.ExternalPeer(r), Protocol.TCP, 443);
        assertEquals(c.allowed(new Peer.WorkloadPeer(s), new Peer.ExternalPeer(r)).contains(Protocol.TCP, 443),
            e.allowed(), dir + " " + s.name() + " -> " + r);
      }
    }
    assertTrue(checked > 0 || m.workloads().size() < 2);
  }

  @Test
  void namesThePolicyRuleAndLine() throws Exception {
    ClusterModel m = new ManifestLoader(false).load(List.of(
        "../manifests/examples/online-boutique/derived/kustomize-base+network-policies.rendered.yaml")).model();
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    Workload cart = Fixtures.workload(m, "default/cartservice");
    Workload redis = Fixtures.workload(m, "default/redis-cart");
    Workload front = Fixtures.workload(m, "default/frontend");
    String ok = c.explain(new Peer.WorkloadPeer(cart), new Peer.WorkloadPeer(redis), Protocol.TCP, 6379)
        .render("cart -> redis");
    assertTrue(ok.contains("ALLOWED") && ok.contains("NetworkPolicy default/redis-cart ingress rule #1 (")
        && ok.contains("rendered.yaml:"), ok);
    String denied = c.explain(new Peer.WorkloadPeer(front), new Peer.WorkloadPeer(redis), Protocol.TCP, 6379)
        .render("frontend -> redis");
    assertTrue(denied.contains("DENIED") && denied.contains("NetworkPolicy default/redis-cart (") && denied.contains("NetworkPolicy default/deny-all ("), denied);
  }
}
