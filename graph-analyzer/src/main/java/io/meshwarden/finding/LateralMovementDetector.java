package io.meshwarden.finding;

import io.meshwarden.connectivity.ClassReach;
import io.meshwarden.exposure.EntryPoint;
import io.meshwarden.exposure.EntryPointScanner;
import io.meshwarden.graph.CommunicationGraph;
import io.meshwarden.graph.GraphEdge;
import io.meshwarden.graph.GraphNode;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.Coverage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * MW104: from every entry point (declared, or observed receiving public traffic), the sensitive
 * workloads within reach over allowed hops, and the blast radius.
 *
 * <p>What makes a path dangerous is a hop the application does not need. Each hop is used
 * (traffic took it), unused (a flow source watched it and saw nothing) or unknown (no source
 * could have seen it, or no traffic was given). A path with an unused hop is the policy's fault:
 * critical within two hops, high beyond. A path with unknown hops cannot be judged: high within
 * two hops, medium beyond. A path made only of used hops is the application's own data path (the
 * frontend calls the cart, the cart its database): medium, saying so, because narrowing L4
 * policy cannot cut it without breaking the app.
 *
 * <p>A hop is an edge every layer lets through ({@link GraphEdge#isAllowed}): one that Istio
 * authorization denies, or leaves to an external authorizer, is no hop.
 *
 * <p>The search is a breadth-first search from each entry point over states (workload, worst hop
 * use so far), bounded by the path length; it asks each visited workload only for its own
 * outgoing hops, so it never needs the whole set of allowed pairs.
 */
final class LateralMovementDetector implements FindingDetector {
  private static final int SHOWN_PATHS = 10;

  @Override
  public Rule rule() {
    return Rule.LATERAL_MOVEMENT;
  }

  /** What traffic says about a hop, or a path (its worst hop), best first. */
  private enum Use {
    USED("used"),
    UNKNOWN("not observable"),
    UNUSED("unused");

    final String text;

    Use(String text) {
      this.text = text;
    }

    Use worst(Use o) {
      return compareTo(o) >= 0 ? this : o;
    }
  }

  @Override
  public List<Finding> detect(AnalysisInput in) {
    CommunicationGraph cg = in.graph();
    Coverage coverage = in.hasTraffic() ? Coverage.of(in.traffic().edges()) : null;
    Map<String, List<EntryPoint>> entries = new LinkedHashMap<>();
    for (EntryPoint e : EntryPointScanner.scan(in.model(), in.traffic())) {
      entries.computeIfAbsent(e.workload().id(), k -> new ArrayList<>()).add(e);
    }
    List<Finding> out = new ArrayList<>();
    Search search = null;
    for (Map.Entry<String, List<EntryPoint>> entry : entries.entrySet()) {
      GraphNode start = cg.node(entry.getKey());
      if (start == null || start.workload() == null) {
        continue;
      }
      if (search == null) {
        search = new Search(cg, in.model().workloads(), in.sensitivity(), coverage);
      }
      Integer startIndex = search.index.get(start.id());
      if (startIndex == null) {
        continue;
      }
      Reached reached = search.run(startIndex, in.maxPathLength());
      // Per sensitive workload, the most damning way to reach it: over an unused hop, else an unknown one.
      List<Integer> targets = new ArrayList<>();
      int radius = 0;
      for (int n = 0; n < search.ids.length; n++) {
        if (n == startIndex || !reached.any(n)) {
          continue;
        }
        radius++;
        if (!search.sensitive[n]) {
          continue;
        }
        for (Use u : new Use[] {Use.UNUSED, Use.UNKNOWN, Use.USED}) {
          if (reached.has(n, u)) {
            targets.add(Search.state(n, u));
            break;
          }
        }
      }
      if (targets.isEmpty()) {
        continue;
      }
      Search sx = search;
      targets.sort(Comparator.comparing((Integer t) -> Search.useOf(t)).reversed()
          .thenComparingInt(reached::depth).thenComparing(t -> sx.ids[Search.node(t)]));
      out.add(finding(in, cg, start.workload(), entry.getValue(), search, reached, targets, radius, coverage));
    }
    return out;
  }

  private Finding finding(AnalysisInput in, CommunicationGraph cg, Workload w, List<EntryPoint> entries,
      Search search, Reached reached, List<Integer> targets, int radius, Coverage coverage) {
    boolean traffic = coverage != null;
    Use worst = Search.useOf(targets.get(0));
    List<Integer> leading = targets.stream().filter(s -> Search.useOf(s) == worst).toList();
    int nearest = leading.get(0);
    int hops = reached.depth(nearest);
    String sensitive = leading.size() + " sensitive workload" + (leading.size() == 1 ? "" : "s");
    String nearestText = "nearest " + Workloads.shortName(search.workloads[Search.node(nearest)]) + " in " + hops
        + " hop" + (hops == 1 ? "" : "s");
    String from = Workloads.shortName(w) + " (entry point)";
    Severity severity;
    String title;
    switch (worst) {
      case UNUSED -> {
        severity = hops <= 2 ? Severity.CRITICAL : Severity.HIGH;
        title = from + " can reach " + sensitive + " over allowed hops no traffic used, " + nearestText;
      }
      case UNKNOWN -> {
        severity = hops <= 2 ? Severity.HIGH : Severity.MEDIUM;
        title = from + " can reach " + sensitive + ", " + nearestText + (traffic
            ? " (over hops no flow source could observe: needed and unneeded hops cannot be told apart)"
            : " (no traffic given: needed and unneeded hops cannot be told apart)");
      }
      default -> {
        severity = Severity.MEDIUM;
        title = from + " reaches " + sensitive + " only along the app's own data path (every hop observed), "
            + nearestText;
      }
    }
    List<String> evidence = new ArrayList<>();
    entries.forEach(e -> evidence.add("entry: " + ExternalExposureDetector.how(e) + " (" + e.origin() + ")"));
    evidence.add("blast radius: " + radius + " workload" + (radius == 1 ? "" : "s") + " reachable within "
        + in.maxPathLength() + " hops");
    int shown = 0;
    for (int s : targets) {
      if (shown++ < SHOWN_PATHS) {
        evidence.add((Search.useOf(s) == Use.USED && traffic ? "app's own data path: " : "")
            + describe(cg, search, reached, s, coverage) + " (" + in.sensitivity().reason(search.ids[Search.node(s)])
            + ")");
      }
    }
    String remediation = worst == Use.USED
        ? "Every hop is traffic the app needs: L4 policy cannot cut it. Keep the entry point's requests"
            + " authenticated and authorise each hop at L7 (AuthorizationPolicy on methods and paths)."
        : "Cut the paths at their first hop the app does not need: allow the entry point to call only what it"
            + " needs, and admit into sensitive workloads only their real clients.";
    return new Finding(rule(), severity, title, w.id(), evidence, w.origin(), remediation);
  }

  /** Which states one search reached, at what depth, and how (see {@link Search#run}). */
  private static final class Reached {
    final int[] depth;
    final int[] from;
    final GraphEdge[] via;

    Reached(int states) {
      depth = new int[states];
      from = new int[states];
      via = new GraphEdge[states];
    }

    boolean has(int node, Use u) {
      return depth[Search.state(node, u)] >= 0;
    }

    boolean any(int node) {
      return depth[3 * node] >= 0 || depth[3 * node + 1] >= 0 || depth[3 * node + 2] >= 0;
    }

    int depth(int state) {
      return depth[state];
    }
  }

  /**
   * Breadth-first search over (workload, worst hop use) states, at most {@code maxDepth} hops deep,
   * on the graph's workloads by index (built once per detection, reused for every entry point).
   *
   * <p>When the graph keeps unobserved pairs per class, a class's reach is expanded once per group
   * of sources that would reach the same states through it: without traffic (every such hop is then
   * "not observable") the group is the class; with traffic it is the class, the worst hop use so far
   * and what the flow sources saw of the source's egress, since those decide each hop's use. The
   * first source of a group visits every target but itself and those it has an observed edge to
   * (followed as graph edges); those are left to the group's later sources, which reach nothing else
   * new. Targets whose resulting state is already reached, and classes all of whose workloads are,
   * are skipped: the search costs classes squared bits and workloads per group, not workloads
   * squared pairs per entry point.
   */
  private static final class Search {
    private static final Use[] USES = Use.values();
    private static final Object EVERY_PORT = new Object();

    final CommunicationGraph cg;
    final String[] ids;
    final Workload[] workloads;
    final Map<String, Integer> index = new HashMap<>();
    final boolean[] sensitive;
    /** Per workload, its allowed graph edges to workloads, in the graph's order. */
    final int[][] hopTarget;
    final GraphEdge[][] hopEdge;
    /** Per workload, every workload it has a graph edge to (with traffic: the pairs traffic used). */
    final int[][] edgeTargets;
    final ClassReach reach;
    final int[] cls;
    final int[][] members;
    final boolean[] pairEdges;
    final Coverage coverage;
    final Coverage.Side[] ingress;
    final Coverage.Side[] egress;
    /** What decides a hop's use on the source's side: {@link #EVERY_PORT} or the egress ports watched. */
    final Object[] egressKey;
    private final boolean[] marked;
    private final int[] queue;

    Search(CommunicationGraph cg, List<Workload> model, Sensitivity sensitivity, Coverage coverage) {
      this.cg = cg;
      this.coverage = coverage;
      int n = model.size();
      ids = new String[n];
      workloads = new Workload[n];
      sensitive = new boolean[n];
      for (int i = 0; i < n; i++) {
        workloads[i] = model.get(i);
        ids[i] = workloads[i].id();
        index.put(ids[i], i);
        sensitive[i] = sensitivity.isSensitive(workloads[i]);
      }
      hopTarget = new int[n][];
      hopEdge = new GraphEdge[n][];
      edgeTargets = new int[n][];
      for (int i = 0; i < n; i++) {
        List<Integer> t = new ArrayList<>();
        List<GraphEdge> e = new ArrayList<>();
        List<Integer> all = new ArrayList<>();
        for (GraphEdge edge : cg.outgoing(ids[i])) {
          GraphNode target = cg.node(edge.target());
          Integer j = index.get(edge.target());
          if (j == null || target.type() != GraphNode.Type.WORKLOAD) {
            continue;
          }
          all.add(j);
          if (edge.isAllowed()) {
            t.add(j);
            e.add(edge);
          }
        }
        hopTarget[i] = t.stream().mapToInt(Integer::intValue).toArray();
        hopEdge[i] = e.toArray(GraphEdge[]::new);
        edgeTargets[i] = all.stream().mapToInt(Integer::intValue).toArray();
      }
      reach = cg.classReach();
      cls = new int[n];
      pairEdges = new boolean[n];
      for (int i = 0; i < n; i++) {
        pairEdges[i] = cg.hasPairEdges(ids[i]);
      }
      if (reach != null) {
        members = new int[reach.classCount()][];
        for (int c = 0; c < members.length; c++) {
          List<Workload> ws = reach.workloads(c);
          members[c] = new int[ws.size()];
          for (int k = 0; k < ws.size(); k++) {
            int i = index.get(ws.get(k).id());
            members[c][k] = i;
            cls[i] = c;
          }
        }
      } else {
        members = null;
      }
      ingress = new Coverage.Side[n];
      egress = new Coverage.Side[n];
      egressKey = new Object[n];
      if (coverage != null) {
        for (int i = 0; i < n; i++) {
          ingress[i] = coverage.ingress(ids[i]);
          egress[i] = coverage.egress(ids[i]);
          egressKey[i] = !egress[i].everyPort().isEmpty() ? EVERY_PORT : egress[i].ports().keySet();
        }
      }
      marked = new boolean[n];
      queue = new int[3 * n];
    }

    static int state(int node, Use u) {
      return 3 * node + u.ordinal();
    }

    static int node(int state) {
      return state / 3;
    }

    static Use useOf(int state) {
      return USES[state % 3];
    }

    /** A group of sources whose class expansion reaches the same states (see the class comment). */
    private record Group(int cls, Use use, Object egress) {}

    Reached run(int start, int maxDepth) {
      Reached r = new Reached(3 * ids.length);
      java.util.Arrays.fill(r.depth, -1);
      int head = 0;
      int tail = 0;
      int origin = state(start, Use.USED);
      r.depth[origin] = 0;
      r.from[origin] = -1;
      queue[tail++] = origin;
      BitSet expanded = new BitSet();
      BitSet full = new BitSet();
      Map<Integer, Integer> skippedSelf = new HashMap<>();
      Map<Group, List<Integer>> deferred = new HashMap<>();
      PerClass reachedPerClass = reach == null ? null : new PerClass(members.length);
      BitSet scratch = new BitSet();
      while (head < tail) {
        int s = queue[head++];
        int depth = r.depth[s];
        if (depth == maxDepth) {
          continue;
        }
        int node = node(s);
        Use use = useOf(s);
        int[] targets = hopTarget[node];
        for (int k = 0; k < targets.length; k++) {
          int t = targets[k];
          if (t != start) {
            tail = visit(r, reachedPerClass, state(t, use.worst(LateralMovementDetector.use(hopEdge[node][k], workloads[t], coverage))), s,
                hopEdge[node][k], depth + 1, tail);
          }
        }
        if (reach == null) {
          continue;
        }
        int c = cls[node];
        if (coverage != null) {
          tail = expandWithTraffic(r, reachedPerClass, deferred, s, start, depth, tail);
          continue;
        }
        if (expanded.get(c)) {
          // The workload its own class's expansion left out is one hop from any of its twins.
          Integer self = skippedSelf.get(c);
          if (self != null && self != node) {
            skippedSelf.remove(c);
            tail = visit(r, reachedPerClass, state(self, Use.UNKNOWN), s, null, depth + 1, tail);
          }
          continue;
        }
        expanded.set(c);
        // Classes whose workloads were all reached are dropped a word (64 classes) at a time.
        scratch.clear();
        scratch.or(reach.reachable(c));
        scratch.andNot(full);
        for (int dc = scratch.nextSetBit(0); dc >= 0; dc = scratch.nextSetBit(dc + 1)) {
          boolean all = true;
          for (int t : members[dc]) {
            if (t == node) {
              skippedSelf.put(c, t);
              all = false;
            } else if (t != start && !pairEdges[t]) {
              // Pairs into workloads with edges of their own were followed above, with Istio's answer.
              tail = visit(r, reachedPerClass, state(t, Use.UNKNOWN), s, null, depth + 1, tail);
            }
          }
          if (all) {
            full.set(dc);
          }
        }
      }
      return r;
    }

    /**
     * With traffic: the hops state {@code s} takes through its class's reach. The first source of a
     * group visits every target but itself and those it has graph edges to; later ones only those.
     */
    private int expandWithTraffic(Reached r, PerClass reachedPerClass, Map<Group, List<Integer>> deferred, int s,
        int start, int depth, int tail) {
      int node = node(s);
      Use use = useOf(s);
      int c = cls[node];
      Group g = new Group(c, use, egressKey[node]);
      List<Integer> left = deferred.get(g);
      int[] observed = edgeTargets[node];
      for (int t : observed) {
        marked[t] = true;
      }
      try {
        if (left != null) {
          for (java.util.Iterator<Integer> it = left.iterator(); it.hasNext(); ) {
            int t = it.next();
            if (t != node && !marked[t]) {
              it.remove();
              tail = visit(r, reachedPerClass, state(t, use.worst(unobserved(node, t))), s, null, depth + 1, tail);
            }
          }
          return tail;
        }
        left = new ArrayList<>();
        deferred.put(g, left);
        // Every target ends at UNUSED when the path already is, or when the source's egress was watched on every port.
        boolean allUnused = use == Use.UNUSED || egressKey[node] == EVERY_PORT;
        // Classes whose workloads all hold the states this group could give them are dropped a word at a time.
        BitSet targets = reachedPerClass.open(reach.reachable(c), allUnused);
        for (int dc = targets.nextSetBit(0); dc >= 0; dc = targets.nextSetBit(dc + 1)) {
          for (int t : members[dc]) {
            if (t == start || pairEdges[t]) {
              continue;
            }
            if (t == node || marked[t]) {
              left.add(t);
              continue;
            }
            int unused = state(t, Use.UNUSED);
            if (r.depth[unused] >= 0 && (allUnused || r.depth[state(t, Use.UNKNOWN)] >= 0)) {
              continue;
            }
            tail = visit(r, reachedPerClass, allUnused ? unused : state(t, use.worst(unobserved(node, t))), s, null,
                depth + 1, tail);
          }
        }
        return tail;
      } finally {
        for (int t : observed) {
          marked[t] = false;
        }
      }
    }

    /** The use of an unobserved hop between two workloads, as {@link #use} judges the edge made for it. */
    private Use unobserved(int src, int dst) {
      Coverage.Side in = ingress[dst];
      Coverage.Side out = egress[src];
      if (!in.everyPort().isEmpty() || !out.everyPort().isEmpty()) {
        return Use.UNUSED;
      }
      if (in.ports().isEmpty() && out.ports().isEmpty()) {
        return Use.UNKNOWN;
      }
      GraphEdge hop = cg.edge(ids[src], ids[dst]);
      return hop == null ? Use.UNKNOWN : LateralMovementDetector.use(hop, workloads[dst], coverage);
    }

    private int visit(Reached r, PerClass reachedPerClass, int t, int from, GraphEdge how, int depth, int tail) {
      if (r.depth[t] >= 0) {
        return tail;
      }
      r.depth[t] = depth;
      r.from[t] = from;
      r.via[t] = how;
      queue[tail] = t;
      Use u = useOf(t);
      if (reachedPerClass != null && u != Use.USED) {
        int c = cls[node(t)];
        reachedPerClass.reached(c, u == Use.UNUSED ? 1 : 0, members[c].length);
      }
      return tail + 1;
    }

    /**
     * Per class, how many of its workloads one search reached at UNKNOWN and at UNUSED, and the
     * classes all of whose workloads it reached at UNUSED, and at both.
     */
    private static final class PerClass {
      final int[][] counts;
      final BitSet fullUnused = new BitSet();
      final BitSet fullBoth = new BitSet();
      private final BitSet scratch = new BitSet();

      PerClass(int classes) {
        counts = new int[2][classes];
      }

      void reached(int c, int level, int size) {
        if (++counts[level][c] == size) {
          if (level == 1) {
            fullUnused.set(c);
          }
          if (counts[1 - level][c] == size) {
            fullBoth.set(c);
          }
        }
      }

      /** The classes of {@code reachable} that may still hold a state to reach; valid until the next call. */
      BitSet open(BitSet reachable, boolean allUnused) {
        scratch.clear();
        scratch.or(reachable);
        scratch.andNot(allUnused ? fullUnused : fullBoth);
        return scratch;
      }
    }
  }

  /**
   * Used when traffic took the hop; unused when a flow source watched the destination's ingress or
   * the source's egress on a port the hop allows (every port, or one the destination declares)
   * and saw nothing; otherwise unknown.
   */
  private static Use use(GraphEdge e, Workload dst, Coverage coverage) {
    if (e.isObserved()) {
      return Use.USED;
    }
    if (coverage == null) {
      return Use.UNKNOWN;
    }
    Coverage.Side in = coverage.ingress(dst.id());
    Coverage.Side out = coverage.egress(e.source());
    if (!in.everyPort().isEmpty() || !out.everyPort().isEmpty()) {
      return Use.UNUSED;
    }
    for (Container c : dst.containers()) {
      for (ContainerPort p : c.ports()) {
        if (e.allowed().contains(p.protocol(), p.port())
            && (in.covers(p.protocol(), p.port()) || out.covers(p.protocol(), p.port()))) {
          return Use.UNUSED;
        }
      }
    }
    return Use.UNKNOWN;
  }

  /** The edge a step took: the graph's own, or the allowed pair a class expansion stood for. */
  private static GraphEdge edge(CommunicationGraph cg, Search search, Reached reached, int s) {
    GraphEdge e = reached.via[s];
    return e != null ? e : cg.edge(search.ids[Search.node(reached.from[s])], search.ids[Search.node(s)]);
  }

  /** {@code frontend -[TCP 7070, used]-> cartservice -[TCP 6379, unused]-> redis-cart}. */
  private static String describe(CommunicationGraph cg, Search search, Reached reached, int end, Coverage coverage) {
    List<GraphEdge> edges = new ArrayList<>();
    for (int s = end; reached.from[s] >= 0; s = reached.from[s]) {
      edges.add(0, edge(cg, search, reached, s));
    }
    StringBuilder sb = new StringBuilder(name(cg, edges.get(0).source()));
    for (GraphEdge e : edges) {
      sb.append(" -[").append(e.reachable());
      if (coverage != null) {
        sb.append(", ").append(use(e, cg.node(e.target()).workload(), coverage).text);
      }
      sb.append(e.authz() == null ? "" : ", Istio " + e.authz().verdict().name().toLowerCase(Locale.ROOT))
          .append("]-> ").append(name(cg, e.target()));
    }
    return sb.toString();
  }

  private static String name(CommunicationGraph cg, String id) {
    GraphNode n = cg.node(id);
    return n.workload() == null ? id : n.workload().name();
  }
}
