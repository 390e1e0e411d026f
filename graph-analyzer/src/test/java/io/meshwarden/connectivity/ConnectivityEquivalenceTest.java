package io.meshwarden.connectivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.bench.SyntheticCluster;
import io.meshwarden.model.ClusterModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The row-at-a-time fast path must agree with the pair-by-pair evaluator on every pair. */
class ConnectivityEquivalenceTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void forEachAllowed_matchesPairwiseEvaluation(long seed) {
    ClusterModel model = SyntheticCluster.generate(new SyntheticCluster.Spec(5, 120, 40, 0.3, seed));
    Connectivity c = ConnectivityAnalyzer.analyze(model);
    Map<String, ConnectionSet> streamed = new HashMap<>();
    c.forEachAllowed((s, d, set) -> streamed.put(s.displayName() + " -> " + d.displayName(), set));
    int checked = 0;
    for (var src : model.workloads()) {
      for (var dst : model.workloads()) {
        if (src == dst) {
          continue;
        }
        ConnectionSet expected = c.allowed(new Peer.WorkloadPeer(src), new Peer.WorkloadPeer(dst));
        String key = new Peer.WorkloadPeer(src).displayName() + " -> " + new Peer.WorkloadPeer(dst).displayName();
        assertEquals(expected.isEmpty() ? null : expected, streamed.get(key), key);
        checked++;
      }
    }
    assertTrue(streamed.size() > 0 && checked == 120 * 119);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 40})
  void row_matchesPairwiseEvaluation_forEverySourceKind(int policies) {
    ClusterModel model = SyntheticCluster.generate(new SyntheticCluster.Spec(5, 120, policies, 0.5, 7));
    Connectivity c = ConnectivityAnalyzer.analyze(model);
    List<Peer> destinations = new ArrayList<>();
    List<Peer> sources = new ArrayList<>();
    model.workloads().forEach(w -> destinations.add(new Peer.WorkloadPeer(w)));
    sources.addAll(destinations);
    c.destinationRanges().forEach(r -> destinations.add(new Peer.ExternalPeer(r)));
    c.sourceRanges().forEach(r -> sources.add(new Peer.ExternalPeer(r)));
    sources.add(new Peer.IngressControllerPeer());
    Connectivity.Destinations d = c.destinations(destinations);
    ConnectionSet[] row = new ConnectionSet[destinations.size()];
    int nonEmpty = 0;
    for (Peer src : sources) {
      c.row(src, d, row);
      for (int i = 0; i < row.length; i++) {
        Peer dst = destinations.get(i);
        ConnectionSet expected = src.equals(dst) || !(src instanceof Peer.WorkloadPeer || dst instanceof Peer.WorkloadPeer)
            ? ConnectionSet.NONE : c.allowed(src, dst);
        assertEquals(expected.toString(), row[i].toString(), src.displayName() + " -> " + dst.displayName());
        nonEmpty += row[i].isEmpty() ? 0 : 1;
      }
    }
    assertTrue(nonEmpty > 0);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 40})
  void forEachSorted_isForEachAllowedInDisplayOrder(int policies) {
    ClusterModel model = SyntheticCluster.generate(new SyntheticCluster.Spec(5, 120, policies, 0.5, 11));
    Connectivity c = ConnectivityAnalyzer.analyze(model);
    List<String> expected = c.connections().stream()
        .map(x -> x.src().displayName() + " -> " + x.dst().displayName() + " : " + x.allowed()).toList();
    List<String> streamed = new ArrayList<>();
    c.forEachSorted(new Connectivity.SortedSink() {
      private List<Peer> destinations;

      @Override
      public void destinations(List<Peer> peers) {
        destinations = peers;
      }

      @Override
      public void accept(Peer src, int dst, ConnectionSet allowed) {
        streamed.add(src.displayName() + " -> " + destinations.get(dst).displayName() + " : " + allowed);
      }
    });
    assertEquals(expected, streamed);
    assertTrue(streamed.size() > 100);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 40, 400})
  void classReach_marksExactlyTheClassPairsAllowingSomething(int policies) {
    ClusterModel model = SyntheticCluster.generate(new SyntheticCluster.Spec(5, 120, policies, 0.5, 13));
    Connectivity c = ConnectivityAnalyzer.analyze(model);
    ClassReach reach = c.classReach();
    long pairs = 0;
    for (var src : model.workloads()) {
      for (var dst : model.workloads()) {
        boolean allowed = !c.allowed(new Peer.WorkloadPeer(src), new Peer.WorkloadPeer(dst)).isEmpty();
        if (src != dst && allowed) {
          pairs++;
        }
        if (src != dst || allowed) {
          assertEquals(allowed, reach.reachable(reach.classOf(src)).get(reach.classOf(dst)),
              src.id() + " -> " + dst.id());
        }
      }
    }
    assertEquals(pairs, reach.workloadPairs());
    assertTrue(pairs > 0);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 40, 400})
  void connectedPeers_areTheEndsOfTheSortedConnections(int policies) {
    ClusterModel model = SyntheticCluster.generate(new SyntheticCluster.Spec(5, 120, policies, 0.5, 17));
    Connectivity c = ConnectivityAnalyzer.analyze(model);
    java.util.Set<String> expected = new java.util.TreeSet<>();
    c.forEachSorted(new Connectivity.SortedSink() {
      private List<Peer> destinations;

      @Override
      public void destinations(List<Peer> peers) {
        destinations = peers;
      }

      @Override
      public void accept(Peer src, int dst, ConnectionSet allowed) {
        expected.add(src.displayName());
        expected.add(destinations.get(dst).displayName());
      }
    });
    java.util.Set<String> actual = new java.util.TreeSet<>();
    c.connectedPeers().forEach(p -> actual.add(p.displayName()));
    assertEquals(expected, actual);
    assertTrue(!expected.isEmpty());
  }

  @org.junit.jupiter.api.Test
  void connectedPeers_leaveOutAWorkloadWhosePolicyOnlyConnectsItToItself() {
    String policies = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: a}\n"
        + "spec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n";
    for (String app : List.of("solo", "pair")) {
      policies += "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " + app
          + ", namespace: a}\nspec:\n  podSelector: {matchLabels: {app: " + app + "}}\n"
          + "  ingress: [{from: [{podSelector: {matchLabels: {app: " + app + "}}}]}]\n"
          + "  egress: [{to: [{podSelector: {matchLabels: {app: " + app + "}}}]}]\n";
    }
    ClusterModel model = Fixtures.load(Fixtures.namespace("a", "") + Fixtures.deployment("a", "solo", "app=solo", "")
        + Fixtures.deployment("a", "pair1", "app=pair", "") + Fixtures.deployment("a", "pair2", "app=pair", "")
        + policies);
    Connectivity c = ConnectivityAnalyzer.analyze(model);
    assertEquals(List.of("a/pair1[Deployment]", "a/pair2[Deployment]"),
        c.connectedPeers().stream().map(Peer::displayName).sorted().toList());
  }
}
