package io.meshwarden.finding;

import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.graph.CommunicationGraph;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.traffic.TrafficModel;
import java.util.Objects;

/**
 * Everything detectors read: the model, what policy allows, what traffic used, and the graph of
 * both. {@code traffic} is empty (never null) when no flows were given.
 *
 * @param maxPathLength the longest lateral path (in hops) worth reporting
 */
public record AnalysisInput(ClusterModel model, Connectivity connectivity, TrafficModel traffic,
    CommunicationGraph graph, Sensitivity sensitivity, int maxPathLength) {

  public AnalysisInput {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(connectivity, "connectivity");
    Objects.requireNonNull(traffic, "traffic");
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(sensitivity, "sensitivity");
  }

  /** Whether any traffic was given: without it, "unused" means nothing. */
  public boolean hasTraffic() {
    return traffic.flowsRead() > 0 || !traffic.edges().isEmpty();
  }
}
