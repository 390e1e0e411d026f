package io.meshwarden.sidecar.netpol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.ingest.manifest.LoadResult;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.Protocol;
import io.meshwarden.sidecar.Fixtures;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NetworkPolicy form, fed back through graph-analyzer's loader and connectivity engine next to
 * the workloads, allows exactly the workload → workload/port edges the PolicySet allows (a source's
 * egress and the destination's ingress both; a workload without a policy is unrestricted).
 */
class NetworkPolicyRoundTripTest {
  static final Path BOUTIQUE = Path.of("../manifests/examples/online-boutique/upstream/release/kubernetes-manifests.yaml");

  static Stream<Arguments> sets() throws Exception {
    return Stream.of(
        Arguments.of("boutique", Fixtures.boutique(), Files.readString(BOUTIQUE)),
        Arguments.of("small", Fixtures.small(),
            deployments(List.of(Fixtures.WEB, Fixtures.API, Fixtures.DB, Fixtures.METRICS))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void networkPolicy_allowsExactlyTheIntendedEdges(String name, PolicySet set, String workloads) throws Exception {
    String yaml = workloads + "\n" + NetworkPolicyWriter.write(set);
    LoadResult load = new ManifestLoader(false).load(name, new StringReader(yaml));
    Connectivity c = ConnectivityAnalyzer.analyze(load.model());
    Set<String> actual = new TreeSet<>();
    c.forEachAllowed((src, dst, allowed) -> {
      if (src instanceof Peer.WorkloadPeer s && dst instanceof Peer.WorkloadPeer d) {
        if (allowed.isAll()) {
          actual.add(s.workload().id() + " -> " + d.workload().id() + " ALL");
          return;
        }
        for (Protocol p : Protocol.values()) {
          int[] r = allowed.ranges(p);
          for (int i = 0; i < r.length; i += 2) {
            for (int port = r[i]; port <= r[i + 1]; port++) {
              actual.add(s.workload().id() + " -> " + d.workload().id() + " " + p + "/" + port);
            }
          }
        }
      }
    });
    Set<String> ids = new TreeSet<>();
    load.model().workloads().forEach(w -> ids.add(w.id()));
    assertEquals(expected(set, ids), actual);
    assertTrue(actual.size() > 3);
  }

  /** Per the intent: dst's ingress names src on the port, and src (if it has a policy) names dst on it. */
  static Set<String> expected(PolicySet set, Set<String> workloads) {
    Set<String> out = new TreeSet<>();
    for (WorkloadPolicy dst : set.policies()) {
      for (PortRule in : dst.ingress()) {
        for (io.meshwarden.synthesis.Peer p : in.peers()) {
          if (p.kind() != io.meshwarden.synthesis.Peer.Kind.WORKLOAD || !workloads.contains(p.workloadId())) {
            continue;
          }
          boolean egressOk = set.forWorkload(p.workloadId()).map(src -> src.egress().stream().anyMatch(e ->
              e.port() == in.port() && e.protocol() == in.protocol()
                  && e.peers().stream().anyMatch(q -> dst.workloadId().equals(q.workloadId())))).orElse(true);
          if (egressOk) {
            out.add(p.workloadId() + " -> " + dst.workloadId() + " " + in.protocol() + "/" + in.port());
          }
        }
      }
    }
    return out;
  }

  /** Minimal Deployments for fixture workloads (labels app=NAME, the fixture's service account). */
  static String deployments(List<Fixtures.W> ws) {
    StringBuilder sb = new StringBuilder();
    for (String ns : new TreeSet<>(ws.stream().map(Fixtures.W::ns).toList())) {
      sb.append("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ").append(ns).append('\n');
    }
    for (Fixtures.W w : ws) {
      sb.append("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ").append(w.name())
          .append("\n  namespace: ").append(w.ns())
          .append("\nspec:\n  selector:\n    matchLabels: {app: ").append(w.name())
          .append("}\n  template:\n    metadata:\n      labels: {app: ").append(w.name())
          .append("}\n    spec:\n      serviceAccountName: ").append(w.sa())
          .append("\n      containers:\n      - name: main\n        image: example\n");
    }
    return sb.toString();
  }
}
