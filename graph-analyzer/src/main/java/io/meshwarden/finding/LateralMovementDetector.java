package io.meshwarden.finding;

import io.meshwarden.exposure.EntryPointScanner;
import io.meshwarden.graph.CommunicationGraph;
import io.meshwarden.graph.GraphEdge;
import io.meshwarden.graph.GraphNode;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.shortestpath.BFSShortestPath;
import org.jgrapht.graph.MaskSubgraph;

/**
 * MW104: from every workload the internet can reach (declared entry points, or allowed from the
 * whole IPv4 space), the shortest allowed paths to sensitive workloads, and its blast radius: how
 * many workloads it can reach transitively. Paths run over allowed workload-to-workload edges.
 */
final class LateralMovementDetector implements FindingDetector {
  @Override
  public Rule rule() {
    return Rule.LATERAL_MOVEMENT;
  }

  @Override
  public List<Finding> detect(AnalysisInput in) {
    CommunicationGraph cg = in.graph();
    Graph<GraphNode, GraphEdge> allowed = new MaskSubgraph<>(cg.graph(),
        v -> v.type() != GraphNode.Type.WORKLOAD, e -> !e.isAllowed());
    Map<String, String> entries = new LinkedHashMap<>();
    EntryPointScanner.scan(in.model()).forEach(e -> entries.putIfAbsent(e.workload().id(), e.kind() + " " + e.via()));
    for (GraphEdge e : cg.outgoing(CommunicationGraph.INTERNET)) {
      if (e.isAllowed() && cg.node(e.target()).type() == GraphNode.Type.WORKLOAD) {
        entries.putIfAbsent(e.target(), "ingress allowed from 0.0.0.0/0 (" + e.allowed() + ")");
      }
    }
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<String, String> entry : new java.util.TreeMap<>(entries).entrySet()) {
      GraphNode start = cg.node(entry.getKey());
      if (start == null || start.workload() == null) {
        continue;
      }
      BFSShortestPath<GraphNode, GraphEdge> bfs = new BFSShortestPath<>(allowed);
      var paths = bfs.getPaths(start);
      int radius = 0;
      List<GraphPath<GraphNode, GraphEdge>> toSensitive = new ArrayList<>();
      for (GraphNode v : allowed.vertexSet()) {
        if (v.equals(start)) {
          continue;
        }
        GraphPath<GraphNode, GraphEdge> p = paths.getPath(v);
        if (p == null) {
          continue;
        }
        radius++;
        if (v.workload() != null && in.sensitivity().isSensitive(v.workload()) && p.getLength() <= in.maxPathLength()) {
          toSensitive.add(p);
        }
      }
      if (toSensitive.isEmpty()) {
        continue;
      }
      toSensitive.sort(java.util.Comparator.comparingInt((GraphPath<GraphNode, GraphEdge> p) -> p.getLength())
          .thenComparing(p -> p.getEndVertex().id()));
      int shortest = toSensitive.get(0).getLength();
      Workload w = start.workload();
      List<String> evidence = new ArrayList<>();
      evidence.add("entry: " + entry.getValue());
      evidence.add("blast radius: " + radius + " workload" + (radius == 1 ? "" : "s") + " reachable");
      TreeSet<String> seen = new TreeSet<>();
      for (GraphPath<GraphNode, GraphEdge> p : toSensitive) {
        if (seen.add(p.getEndVertex().id()) && seen.size() <= 10) {
          evidence.add(describe(p) + " (" + in.sensitivity().reason(p.getEndVertex().id()) + ")");
        }
      }
      out.add(new Finding(rule(), shortest <= 2 ? Severity.CRITICAL : Severity.HIGH,
          Workloads.shortName(w) + " is exposed and can reach " + seen.size() + " sensitive workload"
              + (seen.size() == 1 ? "" : "s") + " in " + shortest + " hop" + (shortest == 1 ? "" : "s"),
          w.id(), evidence, w.origin(),
          "Cut the paths at their first hop: allow the exposed workload to call only what it needs, and admit"
              + " into sensitive workloads only their real clients."));
    }
    return out;
  }

  private static String describe(GraphPath<GraphNode, GraphEdge> p) {
    StringBuilder sb = new StringBuilder(p.getStartVertex().workload().name());
    for (GraphEdge e : p.getEdgeList()) {
      GraphNode t = p.getGraph().getEdgeTarget(e);
      sb.append(" -[").append(e.allowed()).append("]-> ").append(t.workload() == null ? t.id() : t.workload().name());
    }
    return sb.toString();
  }
}
