package io.meshwarden.graph;

import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jgrapht.Graph;
import org.jgrapht.graph.AsUnmodifiableGraph;
import org.jgrapht.graph.DefaultDirectedGraph;

/**
 * The communication graph: one node per workload and external peer, one edge per ordered pair
 * that policy allows or traffic used. Built once from the connectivity and traffic stages; read
 * only afterwards. Not thread-safe to build, safe to read.
 */
public final class CommunicationGraph {
  /** The id of the node for the whole IPv4 space and for unknown public peers. */
  public static final String INTERNET = PeerRef.INTERNET.id();
  public static final String INGRESS_CONTROLLER = "ingress-controller";

  private final Graph<GraphNode, GraphEdge> graph;
  private final Map<String, GraphNode> nodes;

  private CommunicationGraph(Graph<GraphNode, GraphEdge> graph, Map<String, GraphNode> nodes) {
    this.graph = new AsUnmodifiableGraph<>(graph);
    this.nodes = nodes;
  }

  /** The JGraphT view, for algorithms. Unmodifiable. */
  public Graph<GraphNode, GraphEdge> graph() {
    return graph;
  }

  public GraphNode node(String id) {
    return nodes.get(id);
  }

  /** Nodes sorted by id. */
  public List<GraphNode> nodes() {
    return nodes.values().stream().sorted(Comparator.comparing(GraphNode::id)).toList();
  }

  /** Edges sorted by source then target. */
  public List<GraphEdge> edges() {
    return graph.edgeSet().stream()
        .sorted(Comparator.comparing(GraphEdge::source).thenComparing(GraphEdge::target)).toList();
  }

  /** The node id of a workload. */
  public static String idOf(Workload w) {
    return w.id();
  }

  /** The node id an external range maps to: the whole space is {@code internet}. */
  public static String idOf(IpRange r) {
    return r.equals(IpRange.ALL) ? INTERNET : "external:" + r;
  }

  /**
   * Builds the graph. Allowed edges come from {@code connectivity}; observed edges from
   * {@code traffic} are attached to the same pair, or create an observed-only edge.
   */
  public static CommunicationGraph build(ClusterModel model, Connectivity connectivity, TrafficModel traffic) {
    DefaultDirectedGraph<GraphNode, GraphEdge> g = new DefaultDirectedGraph<>(GraphEdge.class);
    Map<String, GraphNode> nodes = new LinkedHashMap<>();
    for (Workload w : model.workloads()) {
      add(g, nodes, new GraphNode(idOf(w), GraphNode.Type.WORKLOAD, w.namespace(), w.name() + "[" + w.kind() + "]", w));
    }
    Map<String, Map<String, List<ObservedEdge>>> observed = new HashMap<>();
    for (ObservedEdge e : traffic.edges()) {
      observed.computeIfAbsent(nodeId(e.key().source()), k -> new TreeMap<>())
          .computeIfAbsent(nodeId(e.key().destination()), k -> new ArrayList<>()).add(e);
    }
    Map<String, Map<String, ConnectionSet>> allowed = new HashMap<>();
    connectivity.forEachAllowed((s, d, c) -> {
      String src = nodeId(s);
      String dst = nodeId(d);
      allowed.computeIfAbsent(src, k -> new HashMap<>()).merge(dst, c, ConnectionSet::union);
    });
    Set<String> sources = new java.util.TreeSet<>(allowed.keySet());
    sources.addAll(observed.keySet());
    for (String src : sources) {
      Map<String, ConnectionSet> a = allowed.getOrDefault(src, Map.of());
      Map<String, List<ObservedEdge>> o = observed.getOrDefault(src, Map.of());
      Set<String> targets = new java.util.TreeSet<>(a.keySet());
      targets.addAll(o.keySet());
      for (String dst : targets) {
        if (src.equals(dst)) {
          continue;
        }
        GraphNode from = ensure(g, nodes, src);
        GraphNode to = ensure(g, nodes, dst);
        g.addEdge(from, to, new GraphEdge(src, dst, a.getOrDefault(dst, ConnectionSet.NONE), o.getOrDefault(dst, List.of())));
      }
    }
    return new CommunicationGraph(g, nodes);
  }

  /**
   * The node of an observed peer. Single public addresses fold into {@code internet}: a node per
   * visitor would bury the workloads, and the edge keeps every address it carries.
   */
  static String nodeId(PeerRef p) {
    return p.address().filter(a -> a.first() == a.last() && !IpRange.isPrivateUse(a.first())).isPresent()
        ? INTERNET : p.id();
  }

  static String nodeId(Peer p) {
    if (p instanceof Peer.WorkloadPeer w) {
      return idOf(w.workload());
    }
    if (p instanceof Peer.ExternalPeer e) {
      return idOf(e.range());
    }
    return INGRESS_CONTROLLER;
  }

  private static GraphNode ensure(Graph<GraphNode, GraphEdge> g, Map<String, GraphNode> nodes, String id) {
    GraphNode n = nodes.get(id);
    if (n != null) {
      return n;
    }
    GraphNode created;
    if (id.equals(INTERNET)) {
      created = new GraphNode(id, GraphNode.Type.INTERNET, null, "internet", null);
    } else if (id.equals(INGRESS_CONTROLLER)) {
      created = new GraphNode(id, GraphNode.Type.INGRESS_CONTROLLER, null, "{ingress-controller}", null);
    } else {
      created = new GraphNode(id, GraphNode.Type.EXTERNAL, null, id, null);
    }
    add(g, nodes, created);
    return created;
  }

  private static void add(Graph<GraphNode, GraphEdge> g, Map<String, GraphNode> nodes, GraphNode n) {
    nodes.put(n.id(), n);
    g.addVertex(n);
  }

  /** Workload nodes grouped by namespace, for renderers that draw namespaces as boxes. */
  public Map<String, List<GraphNode>> byNamespace() {
    Map<String, List<GraphNode>> out = new TreeMap<>();
    for (GraphNode n : nodes()) {
      if (n.namespace() != null) {
        out.computeIfAbsent(n.namespace(), k -> new ArrayList<>()).add(n);
      }
    }
    return out;
  }

  /** Outgoing edges of a node (empty for unknown ids). */
  public Collection<GraphEdge> outgoing(String id) {
    GraphNode n = nodes.get(id);
    return n == null ? List.of() : graph.outgoingEdgesOf(n);
  }
}
