package io.meshwarden.connectivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.bench.SyntheticCluster;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RuleReach} answers membership and pair counts by class lookup; they must be what the
 * lists it exposes say, for workloads of the model and for equal copies of them.
 */
class RuleReachTest {
  private static final ClusterModel MODEL = SyntheticCluster.generate(
      new SyntheticCluster.Spec(12, 400, 120, 0.3, 11));

  @Test
  void membershipAndPairCountAreWhatTheListsSay() {
    List<RuleReach> rules = ConnectivityAnalyzer.analyze(MODEL).networkPolicyRules();
    assertTrue(rules.size() > 100, "the synthetic cluster has rules: " + rules.size());
    long withSelfPairs = 0;
    for (RuleReach r : rules) {
      long pairs = (long) r.subjects().size() * r.peers().size();
      for (Workload s : r.subjects()) {
        if (r.peers().contains(s)) {
          pairs--;
          withSelfPairs++;
        }
      }
      assertEquals(pairs, r.pairCount(), r.toString());
      for (Workload w : MODEL.workloads()) {
        Workload copy = new Workload(w.namespace(), w.kind(), w.name(), w.podLabels(), w.containers(),
            w.serviceAccount(), w.hostNetwork(), w.replicas(), w.podIps(), w.origin(), w.secondaryNetworks());
        assertEquals(r.subjects().contains(w), r.isSubject(w), r + " " + w.id());
        assertEquals(r.peers().contains(w), r.isPeer(w), r + " " + w.id());
        assertEquals(r.isPeer(w), r.isPeer(copy), "an equal copy is the same workload: " + w.id());
      }
    }
    assertTrue(withSelfPairs > 0, "some rule admits its own subjects, so self pairs are subtracted");
  }

  @Test
  void aWorkloadTheModelDoesNotHoldIsOnNeitherSide() {
    Workload w = MODEL.workloads().get(0);
    Workload stranger = new Workload(w.namespace(), w.kind(), w.name() + "-gone", w.podLabels(), w.containers(),
        w.serviceAccount(), w.hostNetwork(), w.replicas(), w.podIps(), w.origin(), w.secondaryNetworks());
    for (RuleReach r : ConnectivityAnalyzer.analyze(MODEL).networkPolicyRules()) {
      assertFalse(r.isSubject(stranger) || r.isPeer(stranger), r.toString());
    }
  }
}
