package io.meshwarden.traffic;

import java.util.List;
import java.util.Map;

/**
 * Observed traffic, resolved and aggregated: the edges (sorted), plus an account of what could not
 * be used, so that nothing is dropped silently.
 *
 * @param flowsRead flow records parsed
 * @param badRecords records that could not be parsed (file:line → reason, capped)
 * @param badRecordCount all unparseable records, including those past the cap
 * @param unresolved flows whose source or destination matched no workload, by a readable reason
 * @param inputs what each input yielded, in reading order; empty when the caller did not account per input
 */
public record TrafficModel(List<ObservedEdge> edges, long flowsRead, List<String> badRecords, long badRecordCount,
    Map<String, Long> unresolved, List<InputSummary> inputs) {

  public TrafficModel {
    edges = List.copyOf(edges);
    badRecords = List.copyOf(badRecords);
    unresolved = Map.copyOf(unresolved);
    inputs = List.copyOf(inputs);
  }

  public TrafficModel(List<ObservedEdge> edges, long flowsRead, List<String> badRecords, long badRecordCount,
      Map<String, Long> unresolved) {
    this(edges, flowsRead, badRecords, badRecordCount, unresolved, List.of());
  }

  public static TrafficModel empty() {
    return new TrafficModel(List.of(), 0, List.of(), 0, Map.of());
  }
}
