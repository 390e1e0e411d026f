package io.meshwarden.api;

import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The graph the UI draws, one edge per pair of nodes (ports folded in, each port with its count),
 * each edge of one kind. Workloads are grouped by namespace; external peers (the internet,
 * addresses, DNS names) form the group {@value #EXTERNAL}. Only observed pairs are built for the
 * whole cluster; allowed-but-unobserved pairs are asked for around chosen workloads
 * ({@link #unobserved}), since at thousands of workloads they are millions. Pure.
 */
final class UiGraph {
  /** The group of nodes outside every namespace. */
  static final String EXTERNAL = "_external";

  /** What an edge stands for, most urgent first: the UI draws and filters by it. */
  enum Kind {
    /** The data plane denied flows on it (enforcing RBAC answered with a denial). */
    DENIED("denied"),
    /** Observed, and current policy does not allow it: a policy change would break it, or already does. */
    WOULD_BREAK("would-break"),
    /** Observed and allowed. */
    OBSERVED_ALLOWED("observed-allowed"),
    /** Allowed by current policy and never observed: what least privilege would close. */
    ALLOWED_UNOBSERVED("allowed-unobserved");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  record Node(String id, String group, String name, String kind) {}

  record Edge(String source, String target, Kind kind, long count, long denied, Instant firstSeen, Instant lastSeen,
      Map<String, Long> ports) {
    Edge {
      ports = Map.copyOf(ports);
    }
  }

  record Graph(Map<String, Node> nodes, List<Edge> edges) {
    Graph {
      nodes = Map.copyOf(nodes);
      edges = List.copyOf(edges);
    }
  }

  private UiGraph() {}

  private static final class Pair {
    long count;
    long denied;
    boolean allAllowed = true;
    Instant first;
    Instant last;
    final Map<String, Long> ports = new TreeMap<>();
  }

  /** Every workload, every external peer traffic touched, and one edge per observed pair. */
  static Graph observed(ClusterSnapshot cluster, Connectivity connectivity, TrafficModel traffic) {
    Map<String, Workload> byId = new HashMap<>();
    Map<String, Node> nodes = new HashMap<>();
    for (Workload w : cluster.model().workloads()) {
      byId.put(w.id(), w);
      nodes.put(LiveGraph.displayId(w), node(w));
    }
    Map<List<String>, Pair> pairs = new TreeMap<>(UiGraph::compare);
    for (ObservedEdge e : traffic.edges()) {
      Optional<Peer> src = LiveGraph.peer(e.key().source(), byId);
      Optional<Peer> dst = LiveGraph.peer(e.key().destination(), byId);
      String s = LiveGraph.id(e.key().source(), byId);
      String d = LiveGraph.id(e.key().destination(), byId);
      nodes.computeIfAbsent(s, k -> other(e.key().source(), k));
      nodes.computeIfAbsent(d, k -> other(e.key().destination(), k));
      Pair p = pairs.computeIfAbsent(List.of(s, d), k -> new Pair());
      p.count += e.stats().count();
      p.denied += e.stats().denied();
      p.first = p.first == null || e.stats().firstSeen().isBefore(p.first) ? e.stats().firstSeen() : p.first;
      p.last = p.last == null || e.stats().lastSeen().isAfter(p.last) ? e.stats().lastSeen() : p.last;
      p.ports.merge(e.key().protocol() + "/" + e.key().port(), e.stats().count(), Long::sum);
      if (p.allAllowed) {
        p.allAllowed = LiveGraph.allowed(connectivity, e.key().source(), src, e.key().destination(), dst,
            e.key().protocol(), e.key().port());
      }
    }
    List<Edge> edges = new ArrayList<>(pairs.size());
    pairs.forEach((k, p) -> edges.add(new Edge(k.get(0), k.get(1),
        p.denied > 0 ? Kind.DENIED : p.allAllowed ? Kind.OBSERVED_ALLOWED : Kind.WOULD_BREAK, p.count, p.denied,
        p.first, p.last, p.ports)));
    return new Graph(nodes, edges);
  }

  /**
   * Pairs touching one of {@code around} (display ids) that current policy allows on a declared
   * container port of the target and that carried no traffic; at most {@code limit} of them,
   * ordered by source and target.
   *
   * @return the edges, and whether the limit cut some off
   */
  static Map.Entry<List<Edge>, Boolean> unobserved(ClusterSnapshot cluster, Connectivity connectivity,
      Collection<String> around, Set<List<String>> observedPairs, int limit) {
    List<Workload> all = cluster.model().workloads();
    Map<String, Workload> byDisplay = new HashMap<>();
    for (Workload w : all) {
      byDisplay.put(LiveGraph.displayId(w), w);
    }
    TreeMap<List<String>, Map<String, Long>> found = new TreeMap<>(UiGraph::compare);
    boolean cut = false;
    for (String id : new TreeSet<>(around)) {
      Workload w = byDisplay.get(id);
      if (w == null) {
        continue;
      }
      for (Workload other : all) {
        if (other == w) {
          continue;
        }
        add(connectivity, w, other, observedPairs, found);
        add(connectivity, other, w, observedPairs, found);
        if (found.size() > limit) {
          cut = true;
          break;
        }
      }
    }
    List<Edge> edges = new ArrayList<>();
    for (Map.Entry<List<String>, Map<String, Long>> e : found.entrySet()) {
      if (edges.size() == limit) {
        cut = true;
        break;
      }
      edges.add(new Edge(e.getKey().get(0), e.getKey().get(1), Kind.ALLOWED_UNOBSERVED, 0, 0, null, null,
          e.getValue()));
    }
    return Map.entry(edges, cut);
  }

  private static void add(Connectivity c, Workload s, Workload d, Set<List<String>> observedPairs,
      Map<List<String>, Map<String, Long>> found) {
    List<String> key = List.of(LiveGraph.displayId(s), LiveGraph.displayId(d));
    if (observedPairs.contains(key) || found.containsKey(key)) {
      return;
    }
    ConnectionSet allowed = c.allowed(new Peer.WorkloadPeer(s), new Peer.WorkloadPeer(d));
    Map<String, Long> ports = new TreeMap<>();
    for (Container ct : d.containers()) {
      for (ContainerPort p : ct.ports()) {
        if (allowed.contains(p.protocol(), p.port())) {
          ports.put(p.protocol() + "/" + p.port(), 0L);
        }
      }
    }
    if (!ports.isEmpty()) {
      found.put(key, ports);
    }
  }

  private static int compare(List<String> a, List<String> b) {
    int c = a.get(0).compareTo(b.get(0));
    return c != 0 ? c : a.get(1).compareTo(b.get(1));
  }

  static Node node(Workload w) {
    return new Node(LiveGraph.displayId(w), w.namespace(), w.name(), w.kind().name());
  }

  private static Node other(PeerRef p, String id) {
    if (p.isWorkload()) {
      // A workload that left the cluster keeps its learned edges under the id it had.
      String[] parts = p.id().split("/", 3);
      return new Node(id, parts[0], parts[2], parts[1]);
    }
    return id.equals("internet") ? new Node(id, EXTERNAL, "internet", "Internet")
        : new Node(id, EXTERNAL, id.substring(0, id.length() - "[External]".length()), "External");
  }
}
