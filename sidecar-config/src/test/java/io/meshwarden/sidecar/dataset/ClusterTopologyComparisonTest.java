package io.meshwarden.sidecar.dataset;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import io.meshwarden.sidecar.netpol.NetworkPolicyWriter;
import io.meshwarden.synthesis.PolicySynthesizer;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.EdgeStats;
import io.meshwarden.traffic.FlowSource;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * np-guard cluster-topology-analyzer synthesises least-privilege NetworkPolicies for known apps.
 * Given the same connections (the workload edges its policies allow, as our engine reads them),
 * our NetworkPolicy output must be no more permissive than theirs, for every workload pair and
 * every external range.
 */
class ClusterTopologyComparisonTest {
  private static final Path ROOT = Path.of("src/test/resources/np-guard-cluster-topology-analyzer/tests");

  static Stream<Arguments> apps() {
    return Stream.of(
        Arguments.of("onlineboutique", List.of("onlineboutique/kubernetes-manifests.yaml"),
            "onlineboutique/expected_netpol_output.yaml"),
        Arguments.of("onlineboutique-pods", List.of("onlineboutique-pods/pods.yaml", "onlineboutique-pods/svcs.yaml"),
            "onlineboutique-pods/expected_netpol_output.yaml"),
        Arguments.of("k8s_guestbook", List.of("k8s_guestbook"), "k8s_guestbook/expected_netpol_output.json"),
        Arguments.of("k8s_wordpress_example", List.of("k8s_wordpress_example/mysql-deployment.yaml",
            "k8s_wordpress_example/wordpress-deployment.yaml"), "k8s_wordpress_example/expected_netpol_output.json"),
        Arguments.of("bookinfo", List.of("bookinfo"), "bookinfo/expected_netpol_output.json"));
  }

  private static ClusterModel load(List<String> inputs, String policies) throws Exception {
    List<String> paths = new ArrayList<>();
    for (String i : inputs) {
      Path p = ROOT.resolve(i);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(f -> paths.add(f.toString()));
        }
      } else {
        paths.add(p.toString());
      }
    }
    if (policies != null) {
      paths.add(ROOT.resolve(policies).toString());
    }
    return new ManifestLoader(true).load(paths).model();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("apps")
  void ourPoliciesForTheirConnectionsAreNoMorePermissive(String app, List<String> inputs, String theirs)
      throws Exception {
    ClusterModel withTheirs = load(inputs, theirs);
    Connectivity their = ConnectivityAnalyzer.analyze(withTheirs);
    // Their connections, as traffic: every workload port their policies open to another workload.
    List<ObservedEdge> edges = new ArrayList<>();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (Workload s : withTheirs.workloads()) {
      for (Workload d : withTheirs.workloads()) {
        if (s == d) {
          continue;
        }
        ConnectionSet allowed = their.allowed(new Peer.WorkloadPeer(s), new Peer.WorkloadPeer(d));
        for (var c : d.containers()) {
          for (var p : c.ports()) {
            if (allowed.contains(p.protocol(), p.port())) {
              edges.add(new ObservedEdge(new EdgeKey(PeerRef.workload(s.id()), PeerRef.workload(d.id()), p.protocol(),
                  p.port(), null, null), new EdgeStats(1, 0, t, t, 0, new Origin(theirs, 0),
                  Set.of(FlowSource.HUBBLE))));
            }
          }
        }
      }
    }
    assertTrue(!edges.isEmpty(), app + ": their policies connect something");
    ClusterModel bare = load(inputs, null);
    // Their tool knows every connection and locks down every workload: the same knowledge for ours is
    // an L4 source that sees both directions on every port, and --include-unobserved.
    var generated = PolicySynthesizer.synthesize(bare, new TrafficModel(edges, edges.size(), List.of(), 0, Map.of()),
        new PolicySynthesizer.Options("cluster.local", 1, null, 1000, false, true, true, true)).policies();
    StringBuilder ours = new StringBuilder();
    for (String i : inputs) {
      Path p = ROOT.resolve(i);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          for (Path f : s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
            ours.append(Files.readString(f)).append("\n---\n");
          }
        }
      } else {
        ours.append(Files.readString(p)).append("\n---\n");
      }
    }
    ours.append(NetworkPolicyWriter.write(generated));
    ClusterModel withOurs = new ManifestLoader(true).load("ours.yaml", new StringReader(ours.toString())).model();
    Connectivity our = ConnectivityAnalyzer.analyze(withOurs);
    int compared = 0;
    for (Workload s : withOurs.workloads()) {
      Workload sTheirs = same(withTheirs, s);
      for (Workload d : withOurs.workloads()) {
        if (s == d) {
          continue;
        }
        ConnectionSet o = our.allowed(new Peer.WorkloadPeer(s), new Peer.WorkloadPeer(d));
        ConnectionSet th = their.allowed(new Peer.WorkloadPeer(sTheirs), new Peer.WorkloadPeer(same(withTheirs, d)));
        assertTrue(th.containsAll(o), app + ": " + s.id() + " -> " + d.id() + " ours " + o + " theirs " + th);
        compared++;
      }
      for (IpRange r : List.of(IpRange.parseCidr("8.8.8.8/32"), IpRange.parseCidr("10.1.1.1/32"))) {
        ConnectionSet inOurs = our.allowed(new Peer.ExternalPeer(r), new Peer.WorkloadPeer(s));
        ConnectionSet inTheirs = their.allowed(new Peer.ExternalPeer(r), new Peer.WorkloadPeer(sTheirs));
        assertTrue(inTheirs.containsAll(inOurs), app + ": " + r + " -> " + s.id() + " ours " + inOurs + " theirs " + inTheirs);
        ConnectionSet outOurs = our.allowed(new Peer.WorkloadPeer(s), new Peer.ExternalPeer(r));
        ConnectionSet outTheirs = their.allowed(new Peer.WorkloadPeer(sTheirs), new Peer.ExternalPeer(r));
        assertTrue(outTheirs.containsAll(outOurs), app + ": " + s.id() + " -> " + r + " ours " + outOurs + " theirs "
            + outTheirs);
      }
    }
    assertTrue(compared > 0);
  }

  private static Workload same(ClusterModel m, Workload w) {
    return m.workloads().stream().filter(x -> x.id().equals(w.id())).findFirst().orElseThrow();
  }

}
