package io.meshwarden.connectivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.bench.SyntheticCluster;
import io.meshwarden.model.ClusterModel;
import java.util.HashMap;
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
}
