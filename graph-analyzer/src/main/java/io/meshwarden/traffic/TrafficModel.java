package io.meshwarden.traffic;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

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

  /**
   * Matches the L4 records of connections also seen as HTTP requests (same peers and port). Those
   * connections are judged by their requests at L7; judging the L4 record too would count them
   * twice and, without a method or path, judge them on less than is known.
   */
  public Predicate<ObservedEdge> alsoSeenAsHttp() {
    Set<String> http = new HashSet<>();
    for (ObservedEdge e : edges) {
      if (e.key().method() != null) {
        http.add(connection(e));
      }
    }
    return e -> e.key().method() == null && http.contains(connection(e));
  }

  private static String connection(ObservedEdge e) {
    return e.key().source() + "|" + e.key().destination() + "|" + e.key().port();
  }

  public static TrafficModel empty() {
    return new TrafficModel(List.of(), 0, List.of(), 0, Map.of());
  }
}
