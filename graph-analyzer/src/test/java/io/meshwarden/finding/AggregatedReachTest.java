package io.meshwarden.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.authz.AuthorizationPolicyEvaluator;
import io.meshwarden.bench.SyntheticCluster;
import io.meshwarden.bench.SyntheticManifests;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.decision.LayeredDecider;
import io.meshwarden.graph.CommunicationGraph;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.ingest.traffic.TrafficLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.traffic.TrafficModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The graph that keeps allowed-but-unobserved pairs per peer class finds the same lateral
 * movement as the graph with one edge per pair: same entry points, sensitive workloads, nearest
 * hop counts, severities and blast radii, with and without traffic, with and without policies.
 */
class AggregatedReachTest {
  @ParameterizedTest
  @CsvSource({"4, 0, false, true", "4, 0, true, true", "20, 10, false, true", "20, 10, true, true",
      "4, 120, true, false"})
  void lateralMovement_isTheSameOverClassesAsOverPairs(int namespaces, int policies, boolean withTraffic,
      boolean findings, @TempDir Path dir) throws Exception {
    // Fewer policies than namespaces: default-deny in some namespaces, the others open.
    SyntheticCluster.Spec spec = new SyntheticCluster.Spec(namespaces, 300, policies, 0.4, 5);
    Path yaml = dir.resolve("cluster.yaml");
    SyntheticManifests.writeCluster(spec, yaml);
    ClusterModel model = new ManifestLoader(false).load(List.of(yaml.toString())).model();
    TrafficModel traffic = TrafficModel.empty();
    if (withTraffic) {
      Path flows = dir.resolve("flows.json");
      SyntheticManifests.writeFlows(SyntheticCluster.generate(spec), 2000, 3, flows);
      traffic = TrafficLoader.load(List.of(flows.toString()), model, TrafficLoader.Options.defaults()).traffic();
      assertFalse(traffic.edges().isEmpty());
    }
    Connectivity c = ConnectivityAnalyzer.analyze(model);
    LayeredDecider decider = LayeredDecider.of(model, c,
        AuthorizationPolicyEvaluator.of(model, AuthorizationPolicyEvaluator.Options.DEFAULT));
    CommunicationGraph pairs = CommunicationGraph.build(traffic, decider, Long.MAX_VALUE);
    CommunicationGraph classes = CommunicationGraph.build(traffic, decider, 0);
    assertNull(pairs.classReach());
    assertNotNull(classes.classReach());
    assertTrue(classes.graph().edgeSet().size() < pairs.graph().edgeSet().size() || policies > 0);
    Sensitivity sensitivity = Sensitivity.of(model);
    List<Finding> expected = new LateralMovementDetector().detect(
        new AnalysisInput(model, c, traffic, pairs, sensitivity, 6));
    List<Finding> actual = new LateralMovementDetector().detect(
        new AnalysisInput(model, c, traffic, classes, sensitivity, 6));
    assertEquals(findings, !expected.isEmpty(), "exposed workloads that reach databases");
    assertEquals(summary(expected), summary(actual));
  }

  /** What must not depend on the graph's form; the path shown may pass through another workload. */
  private static List<String> summary(List<Finding> findings) {
    return findings.stream().map(f -> f.severity() + " " + f.title() + " | " + f.evidence().stream()
        .filter(e -> e.startsWith("blast radius") || e.startsWith("entry")).toList() + " | " + f.evidence().size())
        .toList();
  }
}
