package io.meshwarden.graph;

import io.meshwarden.authz.AuthorizationPolicyEvaluator;
import io.meshwarden.connectivity.ClassReach;
import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.decision.Layer;
import io.meshwarden.decision.LayerDecision;
import io.meshwarden.decision.LayeredDecider;
import io.meshwarden.decision.LayeredDecision;
import io.meshwarden.decision.RequestAttributes;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Protocol;
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
  private final Map<String, Peer> peers;
  private final LayeredDecider decider;

  /** Set when allowed-but-unobserved workload pairs are kept per class instead of as edges. */
  private final ClassReach aggregated;
  /** Workloads into which every allowed pair is an edge even when aggregated (Istio judges each caller). */
  private final Set<String> pairTargets;

  private CommunicationGraph(Graph<GraphNode, GraphEdge> graph, Map<String, GraphNode> nodes, Map<String, Peer> peers,
      LayeredDecider decider, ClassReach aggregated, Set<String> pairTargets) {
    this.graph = new AsUnmodifiableGraph<>(graph);
    this.nodes = nodes;
    this.peers = peers;
    this.decider = decider;
    this.aggregated = aggregated;
    this.pairTargets = Set.copyOf(pairTargets);
  }

  /**
   * Null when every allowed pair is an edge; else the reachability between workloads per peer
   * class, of which the edges hold only the pairs traffic used, those with an external peer or the
   * ingress controller, and those into workloads {@link #hasPairEdges} names.
   */
  public ClassReach classReach() {
    return aggregated;
  }

  /** Whether every allowed pair into this workload is an edge, aggregated or not. */
  public boolean hasPairEdges(String workloadId) {
    return aggregated == null || pairTargets.contains(workloadId);
  }

  /**
   * The edge from {@code src} to {@code dst}: the graph's own, or, for a pair kept per class, one
   * made for the asking (allowed per L4, unobserved, no AuthorizationPolicy); null when neither.
   */
  public GraphEdge edge(String src, String dst) {
    GraphNode from = nodes.get(src);
    GraphNode to = nodes.get(dst);
    if (from == null || to == null) {
      return null;
    }
    GraphEdge e = graph.getEdge(from, to);
    if (e != null || aggregated == null || from.workload() == null || to.workload() == null || src.equals(dst)) {
      return e;
    }
    ConnectionSet l4 = decider.connectivity().allowed(peers.get(src), peers.get(dst));
    return l4.isEmpty() ? null : new GraphEdge(src, dst, l4, null, List.of());
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
    return build(traffic, LayeredDecider.of(model, connectivity,
        AuthorizationPolicyEvaluator.of(model, AuthorizationPolicyEvaluator.Options.DEFAULT)));
  }

  /**
   * Builds the graph with every layer: L4 from the decider's connectivity, Istio authorization
   * from its AuthorizationPolicies, asked per edge over the ports L4 allows (grouped by decision).
   */
  public static CommunicationGraph build(TrafficModel traffic, LayeredDecider decider) {
    return build(traffic, decider, MAX_PAIR_EDGES);
  }

  /**
   * Above this many allowed workload pairs, allowed-but-unobserved pairs are kept per peer class
   * ({@link #classReach}) instead of as edges: a cluster without policies allows 10^8 of them.
   */
  public static final long MAX_PAIR_EDGES = 100_000;

  /**
   * {@link #build(TrafficModel, LayeredDecider)} with the number of allowed workload pairs above
   * which they are aggregated; 0 always aggregates (tests compare both forms).
   */
  public static CommunicationGraph build(TrafficModel traffic, LayeredDecider decider, long maxPairEdges) {
    ClusterModel model = decider.model();
    Connectivity connectivity = decider.connectivity();
    boolean anyAuthz = decider.authorization().hasPolicies();
    Map<String, Peer> peers = new HashMap<>();
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
    for (Workload w : model.workloads()) {
      peers.put(idOf(w), new Peer.WorkloadPeer(w));
    }
    Connectivity.Sink collect = (s, d, c) -> {
      String src = nodeId(s);
      String dst = nodeId(d);
      peers.putIfAbsent(src, s);
      peers.putIfAbsent(dst, d);
      allowed.computeIfAbsent(src, k -> new HashMap<>()).merge(dst, c, ConnectionSet::union);
    };
    ClassReach reach = connectivity.classReach();
    boolean aggregate = reach.workloadPairs() > maxPairEdges;
    Set<String> pairTargets = new java.util.HashSet<>();
    if (!aggregate) {
      // The reach already says which class pairs allow anything: only those are evaluated again.
      connectivity.forEachAllowed(reach, collect);
    } else {
      connectivity.forEachAllowedWithOutside(collect);
      // Pairs that need an edge of their own: those traffic used, and those into a workload whose
      // AuthorizationPolicies judge each caller by its identity.
      observed.forEach((src, targets) -> targets.keySet().forEach(dst -> {
        Peer s = peers.get(src);
        Peer d = peers.get(dst);
        if (s instanceof Peer.WorkloadPeer && d instanceof Peer.WorkloadPeer && !src.equals(dst)) {
          collect.accept(s, d, connectivity.allowed(s, d));
        }
      }));
      for (Workload dst : model.workloads()) {
        if (!anyAuthz || !decider.authorization().hasPoliciesFor(dst, false) || !decider.meshed(dst)) {
          continue;
        }
        pairTargets.add(idOf(dst));
        int dc = reach.classOf(dst);
        Peer d = peers.get(idOf(dst));
        for (int sc = 0; sc < reach.classCount(); sc++) {
          if (reach.reachable(sc).get(dc)) {
            for (Workload src : reach.workloads(sc)) {
              if (!src.id().equals(dst.id())) {
                Peer s = peers.get(idOf(src));
                collect.accept(s, d, connectivity.allowed(s, d));
              }
            }
          }
        }
      }
    }
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
        ConnectionSet l4 = a.getOrDefault(dst, ConnectionSet.NONE);
        if (l4.isEmpty() && o.get(dst) == null) {
          continue;
        }
        List<ObservedEdge> seen = o.getOrDefault(dst, List.of());
        AuthzSummary authz = anyAuthz && !l4.isEmpty() && to.workload() != null && peers.get(src) != null
            ? authz(decider, peers.get(src), to.workload(), l4) : null;
        g.addEdge(from, to, new GraphEdge(src, dst, l4, authz, seen));
      }
    }
    return new CommunicationGraph(g, nodes, peers, decider, aggregate ? reach : null, pairTargets);
  }

  private Peer peer(String id) {
    Peer p = peers.get(id);
    return p == null && id.equals(INTERNET) ? new Peer.ExternalPeer(IpRange.ALL) : p;
  }

  /** Istio's answer for an edge, or null when no AuthorizationPolicy applies to the destination. */
  private static AuthzSummary authz(LayeredDecider decider, Peer src, Workload dst, ConnectionSet l4) {
    if (!decider.authorization().hasPoliciesFor(dst, false) || !decider.meshed(dst)) {
      return null;
    }
    List<LayeredDecider.PortDecision> ports = decider.authzByPort(src, dst, l4, false);
    return ports.isEmpty() ? null : AuthzSummary.of(ports);
  }

  /**
   * The TCP ports worth showing a decision on: those the destination declares or traffic used,
   * within what L4 allows; else the lowest TCP port L4 allows. Empty without TCP.
   */
  static Set<Integer> portsToShow(Workload dst, ConnectionSet l4, List<ObservedEdge> seen) {
    Set<Integer> out = new java.util.TreeSet<>();
    for (Container c : dst.containers()) {
      for (ContainerPort p : c.ports()) {
        if (p.protocol() == Protocol.TCP && l4.contains(Protocol.TCP, p.port())) {
          out.add(p.port());
        }
      }
    }
    for (ObservedEdge e : seen) {
      if (e.key().protocol() == Protocol.TCP && l4.contains(Protocol.TCP, e.key().port())) {
        out.add(e.key().port());
      }
    }
    int[] ranges = l4.ranges(Protocol.TCP);
    if (out.isEmpty() && ranges.length > 0) {
      out.add(ranges[0]);
    }
    return out;
  }

  /** The decider the graph was built with: every layer, for detectors that judge observed requests. */
  public LayeredDecider decider() {
    return decider;
  }

  /**
   * Which layer and rule decided the edge, each layer on the edge's most telling port (an
   * observed one, else a declared one, else the lowest allowed, TCP first), and Istio's
   * answer on every port asked. Evaluated on demand: not thread-safe (it runs the connectivity's
   * explainer).
   */
  public EdgeDecision decision(GraphEdge e) {
    Peer src = peer(e.source());
    Peer dst = peer(e.target());
    Protocol protocol = Protocol.TCP;
    int port = -1;
    for (ObservedEdge o : e.observed()) {
      protocol = o.key().protocol();
      port = o.key().port();
      break;
    }
    if (port < 0 && dst instanceof Peer.WorkloadPeer w) {
      port = portsToShow(w.workload(), e.allowed(), e.observed()).stream().findFirst().orElse(-1);
    }
    for (Protocol p : List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP)) {
      int[] r = e.allowed().ranges(p);
      if (port < 0 && r.length > 0) {
        protocol = p;
        port = r[0];
      }
    }
    if (src == null || dst == null || port < 0) {
      return new EdgeDecision(e.verdict(), protocol, Math.max(port, 0), List.of(), e.authz());
    }
    LayeredDecision d = decider.decide(src, dst, protocol, port, RequestAttributes.NONE, false);
    List<LayerDecision> layers = d.layers().stream().filter(l -> l.layer() != Layer.ISTIO_AUTHZ || e.authz() == null)
        .toList();
    return new EdgeDecision(e.verdict(), protocol, port, layers, e.authz());
  }

  /**
   * The node of an observed peer. Single public addresses fold into {@code internet}: a node per
   * visitor would bury the workloads, and the edge keeps every address it carries. The internet
   * reached over IPv6 is the same node.
   */
  static String nodeId(PeerRef p) {
    return p.type() == PeerRef.Type.INTERNET || p.address().filter(a -> a.isSingleAddress() && !a.isPrivateUse())
        .isPresent() ? INTERNET : p.id();
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
