package io.meshwarden.api;

import io.meshwarden.aggregate.TrafficView;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.Coverage;
import io.meshwarden.traffic.FlowSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The views the UI reads: the overview (groups and the edges between them, with counts per kind),
 * one group's nodes and edges, the neighbourhood of a workload, and a workload's details. Built on
 * one (cluster, traffic) pair at a time; the graph is rebuilt only when the policy model or the
 * traffic changes (not on pod churn, which leaves the model instance as it was),
 * and positions come from the one {@link UiLayout}, which never moves a placed node. Not
 * thread-safe: used from the API's analysis thread.
 */
final class UiViews {
  /** Allowed-but-unobserved edges returned at most per request. */
  static final int UNOBSERVED_LIMIT = 2000;

  private final UiLayout layout = new UiLayout();
  private final Function<ClusterSnapshot, Connectivity> connectivity;
  /** The policy model and traffic version the graph was built from. */
  private io.meshwarden.model.ClusterModel builtModel;
  private long builtTraffic;
  private UiGraph.Graph graph;
  private Map<String, List<UiGraph.Edge>> edgesByNode;
  private Map<String, List<String>> nodesByGroup;

  UiViews(Function<ClusterSnapshot, Connectivity> connectivity) {
    this.connectivity = connectivity;
  }

  private void build(ClusterSnapshot cluster, TrafficView traffic) {
    // The graph reads only the policy model (the same instance while pods merely come and go) and
    // the traffic: a pod change is a new snapshot but not a new graph.
    if (cluster.model() == builtModel && traffic.version() == builtTraffic && graph != null) {
      return;
    }
    graph = UiGraph.observed(cluster, connectivity.apply(cluster), traffic.traffic());
    edgesByNode = new HashMap<>();
    Map<String, Set<String>> targets = new HashMap<>();
    for (UiGraph.Edge e : graph.edges()) {
      edgesByNode.computeIfAbsent(e.source(), k -> new ArrayList<>()).add(e);
      if (!e.source().equals(e.target())) {
        edgesByNode.computeIfAbsent(e.target(), k -> new ArrayList<>()).add(e);
      }
      targets.computeIfAbsent(e.source(), k -> new HashSet<>()).add(e.target());
    }
    nodesByGroup = new TreeMap<>();
    for (UiGraph.Node n : graph.nodes().values()) {
      nodesByGroup.computeIfAbsent(n.group(), k -> new ArrayList<>()).add(n.id());
    }
    nodesByGroup.values().forEach(l -> l.sort(null));
    layout.place(nodesByGroup, targets);
    builtModel = cluster.model();
    builtTraffic = traffic.version();
  }

  /** Every group with its size and counts, and one edge per pair of groups with pairs per kind. */
  JsonObject overview(ClusterSnapshot cluster, TrafficView traffic) {
    build(cluster, traffic);
    JsonArray groups = new JsonArray();
    for (Map.Entry<String, List<String>> g : nodesByGroup.entrySet()) {
      int[] size = layout.size(g.getKey());
      groups.add(new JsonObject().put("id", g.getKey())
          .put("kind", g.getKey().equals(UiGraph.EXTERNAL) ? "external" : "namespace")
          .put("label", g.getKey().equals(UiGraph.EXTERNAL) ? "external peers" : g.getKey())
          .put("nodes", g.getValue().size()).put("width", size[0]).put("height", size[1]));
    }
    Map<List<String>, long[]> between = new TreeMap<>((a, b) -> {
      int c = a.get(0).compareTo(b.get(0));
      return c != 0 ? c : a.get(1).compareTo(b.get(1));
    });
    UiGraph.Kind[] kinds = UiGraph.Kind.values();
    for (UiGraph.Edge e : graph.edges()) {
      String s = graph.nodes().get(e.source()).group();
      String t = graph.nodes().get(e.target()).group();
      long[] c = between.computeIfAbsent(List.of(s, t), k -> new long[kinds.length + 1]);
      c[e.kind().ordinal()]++;
      c[kinds.length] += e.count();
    }
    JsonArray edges = new JsonArray();
    between.forEach((k, c) -> {
      JsonObject byKind = new JsonObject();
      for (UiGraph.Kind kind : kinds) {
        if (c[kind.ordinal()] > 0) {
          byKind.put(kind.label, c[kind.ordinal()]);
        }
      }
      edges.add(new JsonObject().put("source", k.get(0)).put("target", k.get(1)).put("pairs", byKind)
          .put("flows", c[kinds.length]));
    });
    return versions(cluster, traffic).put("workloads", cluster.model().workloads().size())
        .put("nodes", graph.nodes().size()).put("groups", groups).put("edges", edges)
        .put("cell", new JsonObject().put("width", UiLayout.CELL_W).put("height", UiLayout.CELL_H));
  }

  /** The group's nodes with positions, and every observed edge touching one of them. */
  JsonObject group(ClusterSnapshot cluster, TrafficView traffic, String group, boolean unobserved) {
    build(cluster, traffic);
    List<String> ids = nodesByGroup.get(group);
    if (ids == null) {
      throw new ApiException(404, "unknown_group", group.equals(UiGraph.EXTERNAL) ? "no external peer has been seen"
          : "namespace \"" + group + "\" has no workload");
    }
    return neighbourhood(cluster, traffic, new LinkedHashSet<>(ids), unobserved).put("group", group);
  }

  /** The workload, its neighbours and the edges between it and them. */
  JsonObject around(ClusterSnapshot cluster, TrafficView traffic, String id, boolean unobserved) {
    build(cluster, traffic);
    if (!graph.nodes().containsKey(id)) {
      throw new ApiException(404, "unknown_workload", "no workload " + id);
    }
    return neighbourhood(cluster, traffic, new LinkedHashSet<>(List.of(id)), unobserved).put("workload", id);
  }

  private JsonObject neighbourhood(ClusterSnapshot cluster, TrafficView traffic, Set<String> ids, boolean unobserved) {
    Map<String, UiGraph.Edge> edges = new TreeMap<>();
    for (String id : ids) {
      for (UiGraph.Edge e : edgesByNode.getOrDefault(id, List.of())) {
        edges.put(e.source() + "\n" + e.target(), e);
      }
    }
    boolean cut = false;
    if (unobserved) {
      Set<List<String>> observed = new HashSet<>();
      graph.edges().forEach(e -> observed.add(List.of(e.source(), e.target())));
      Set<String> workloads = new TreeSet<>(ids);
      workloads.removeIf(i -> graph.nodes().get(i).group().equals(UiGraph.EXTERNAL));
      Map.Entry<List<UiGraph.Edge>, Boolean> u = UiGraph.unobserved(cluster, connectivity.apply(cluster), workloads,
          observed, UNOBSERVED_LIMIT);
      u.getKey().forEach(e -> edges.put(e.source() + "\n" + e.target(), e));
      cut = u.getValue();
    }
    Set<String> nodes = new TreeSet<>(ids);
    edges.values().forEach(e -> {
      nodes.add(e.source());
      nodes.add(e.target());
    });
    JsonArray nodeArray = new JsonArray();
    for (String id : nodes) {
      nodeArray.add(node(graph.nodes().get(id)));
    }
    JsonArray edgeArray = new JsonArray();
    edges.values().forEach(e -> edgeArray.add(edge(e)));
    return versions(cluster, traffic).put("nodes", nodeArray).put("edges", edgeArray).put("truncated", cut);
  }

  private JsonObject node(UiGraph.Node n) {
    UiLayout.Cell c = layout.cell(n.group(), n.id());
    return new JsonObject().put("id", n.id()).put("group", n.group()).put("name", n.name()).put("kind", n.kind())
        .put("x", c == null ? 0 : c.x()).put("y", c == null ? 0 : c.y());
  }

  private static JsonObject edge(UiGraph.Edge e) {
    JsonObject ports = new JsonObject();
    e.ports().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(p -> ports.put(p.getKey(), p.getValue()));
    JsonObject o = new JsonObject().put("source", e.source()).put("target", e.target()).put("kind", e.kind().label)
        .put("count", e.count()).put("ports", ports);
    if (e.denied() > 0) {
      o.put("denied", e.denied());
    }
    if (e.firstSeen() != null) {
      o.put("firstSeen", e.firstSeen().toString()).put("lastSeen", e.lastSeen().toString());
    }
    return o;
  }

  private static JsonObject versions(ClusterSnapshot cluster, TrafficView traffic) {
    return new JsonObject().put("clusterVersion", cluster.version()).put("trafficVersion", traffic.version());
  }

  /**
   * What the side panel shows of a workload besides its proposal: identity, ports, the policies
   * that select it (so findings about them can be listed with it), its observed edges, and the
   * coverage of the evidence (window, flows, which sources watched which ports, what they cannot see).
   */
  JsonObject workload(ClusterSnapshot cluster, TrafficView traffic, Workload w, String trustDomain) {
    build(cluster, traffic);
    String id = LiveGraph.displayId(w);
    JsonArray ports = new JsonArray();
    for (Container c : w.containers()) {
      for (ContainerPort p : c.ports()) {
        ports.add(new JsonObject().put("protocol", p.protocol().name()).put("port", p.port())
            .put("name", p.name()));
      }
    }
    JsonArray selectedBy = new JsonArray();
    for (NetworkPolicy p : cluster.model().networkPolicies()) {
      if (p.namespace().equals(w.namespace()) && p.podSelector().matches(w.podLabels())) {
        selectedBy.add(new JsonObject().put("subject", "NetworkPolicy " + p.namespace() + "/" + p.name())
            .put("location", p.origin().toString()));
      }
    }
    JsonArray edges = new JsonArray();
    edgesByNode.getOrDefault(id, List.of()).forEach(e -> edges.add(edge(e)));
    return versions(cluster, traffic).put("id", id).put("namespace", w.namespace()).put("name", w.name())
        .put("kind", w.kind().name()).put("modelId", w.id()).put("serviceAccount", w.serviceAccount())
        .put("identity", w.spiffeId(trustDomain)).put("labels", new JsonObject(new TreeMap<>(w.podLabels())))
        .put("location", w.origin().toString()).put("ports", ports).put("selectedBy", selectedBy)
        .put("edges", edges).put("coverage", coverage(traffic, w));
  }

  private static JsonObject coverage(TrafficView traffic, Workload w) {
    Coverage c = Coverage.of(traffic.traffic().edges());
    long in = c.flowsIn(w.id());
    long out = c.flowsOut(w.id());
    JsonObject o = new JsonObject().put("flowsIn", in).put("flowsOut", out)
        .put("ingress", side(c.ingress(w.id()))).put("egress", side(c.egress(w.id())));
    Set<String> blind = new LinkedHashSet<>();
    Set<FlowSource> sources = new TreeSet<>();
    sources.addAll(c.ingress(w.id()).everyPort());
    c.ingress(w.id()).ports().values().forEach(sources::addAll);
    sources.addAll(c.egress(w.id()).everyPort());
    c.egress(w.id()).ports().values().forEach(sources::addAll);
    for (FlowSource s : sources) {
      s.blindSpots().forEach(b -> blind.add(s.label() + ": " + b));
    }
    o.put("blindSpots", new JsonArray(List.copyOf(blind)));
    Instant first = c.firstSeen();
    Instant last = c.lastSeen();
    String window = "no traffic observed";
    if (first != null && last != null) {
      o.put("firstSeen", first.toString()).put("lastSeen", last.toString());
      window = "observed for " + span(Duration.between(first, last));
    }
    o.put("summary", window + ", " + String.format("%,d", in) + " flow(s) in and " + String.format("%,d", out)
        + " out" + (blind.isEmpty() ? "" : "; " + String.join("; ", blind)));
    return o;
  }

  private static JsonObject side(Coverage.Side s) {
    JsonObject ports = new JsonObject();
    s.ports().forEach((k, v) -> ports.put(k.toString(), labels(v)));
    return new JsonObject().put("everyPort", labels(s.everyPort())).put("ports", ports).put("blind", s.isBlind());
  }

  private static JsonArray labels(Collection<FlowSource> sources) {
    JsonArray a = new JsonArray();
    new TreeSet<>(sources).forEach(s -> a.add(s.label()));
    return a;
  }

  static String span(Duration d) {
    if (d.toDays() >= 2) {
      return d.toDays() + " days";
    }
    if (d.toHours() >= 2) {
      return d.toHours() + " hours";
    }
    if (d.toMinutes() >= 2) {
      return d.toMinutes() + " minutes";
    }
    return Math.max(0, d.toSeconds()) + " seconds";
  }
}
