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

  /** A search state: where the path is, and the worst hop it took. */
  private record State(String node, Use use) {}

  /** How a state was first reached. */
  private record Step(State from, GraphEdge edge, int depth) {}

  @Override
  public List<Finding> detect(AnalysisInput in) {
    CommunicationGraph cg = in.graph();
    Coverage coverage = in.hasTraffic() ? Coverage.of(in.traffic().edges()) : null;
    Map<String, List<EntryPoint>> entries = new LinkedHashMap<>();
    for (EntryPoint e : EntryPointScanner.scan(in.model(), in.traffic())) {
      entries.computeIfAbsent(e.workload().id(), k -> new ArrayList<>()).add(e);
    }
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<String, List<EntryPoint>> entry : entries.entrySet()) {
      GraphNode start = cg.node(entry.getKey());
      if (start == null || start.workload() == null) {
        continue;
      }
      Map<State, Step> reached = search(cg, start.id(), in.maxPathLength(), coverage);
      Set<String> radius = new HashSet<>();
      reached.keySet().forEach(s -> radius.add(s.node()));
      radius.remove(start.id());
      // Per sensitive workload, the most damning way to reach it: over an unused hop, else an unknown one.
      List<State> targets = new ArrayList<>();
      for (String id : radius) {
        GraphNode n = cg.node(id);
        if (n.workload() == null || !in.sensitivity().isSensitive(n.workload())) {
          continue;
        }
        for (Use u : new Use[] {Use.UNUSED, Use.UNKNOWN, Use.USED}) {
          if (reached.containsKey(new State(id, u))) {
            targets.add(new State(id, u));
            break;
          }
        }
      }
      if (targets.isEmpty()) {
        continue;
      }
      targets.sort(Comparator.comparing((State s) -> s.use()).reversed()
          .thenComparingInt(s -> reached.get(s).depth()).thenComparing(State::node));
      out.add(finding(in, cg, start.workload(), entry.getValue(), reached, targets, radius.size(), coverage));
    }
    return out;
  }

  private Finding finding(AnalysisInput in, CommunicationGraph cg, Workload w, List<EntryPoint> entries,
      Map<State, Step> reached, List<State> targets, int radius, Coverage coverage) {
    boolean traffic = coverage != null;
    Use worst = targets.get(0).use();
    List<State> leading = targets.stream().filter(s -> s.use() == worst).toList();
    State nearest = leading.get(0);
    int hops = reached.get(nearest).depth();
    String sensitive = leading.size() + " sensitive workload" + (leading.size() == 1 ? "" : "s");
    String nearestText = "nearest " + Workloads.shortName(cg.node(nearest.node()).workload()) + " in " + hops + " hop"
        + (hops == 1 ? "" : "s");
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
    for (State s : targets) {
      if (shown++ < SHOWN_PATHS) {
        evidence.add((s.use() == Use.USED && traffic ? "app's own data path: " : "")
            + describe(cg, reached, s, coverage) + " (" + in.sensitivity().reason(s.node()) + ")");
      }
    }
    String remediation = worst == Use.USED
        ? "Every hop is traffic the app needs: L4 policy cannot cut it. Keep the entry point's requests"
            + " authenticated and authorise each hop at L7 (AuthorizationPolicy on methods and paths)."
        : "Cut the paths at their first hop the app does not need: allow the entry point to call only what it"
            + " needs, and admit into sensitive workloads only their real clients.";
    return new Finding(rule(), severity, title, w.id(), evidence, w.origin(), remediation);
  }

  /**
   * Breadth-first search over (workload, worst hop use) states, at most {@code maxDepth} hops deep.
   * When the graph keeps unobserved pairs per class and there is no traffic (every such hop is then
   * "not observable"), a class's reach is expanded once (from the first of its workloads the search
   * meets; its twins reach the same workloads no sooner), and a destination class whose workloads
   * were all reached is skipped: the search costs classes squared bits, not workloads squared
   * edges. With traffic, each pair's hop is judged against the flow coverage on its own.
   */
  private static Map<State, Step> search(CommunicationGraph cg, String start, int maxDepth, Coverage coverage) {
    Map<State, Step> reached = new HashMap<>();
    State origin = new State(start, Use.USED);
    reached.put(origin, new Step(null, null, 0));
    ArrayDeque<State> queue = new ArrayDeque<>();
    queue.add(origin);
    ClassReach reach = cg.classReach();
    BitSet expanded = new BitSet();
    BitSet full = new BitSet();
    Map<Integer, String> skippedSelf = new HashMap<>();
    while (!queue.isEmpty()) {
      State s = queue.poll();
      int depth = reached.get(s).depth();
      if (depth == maxDepth) {
        continue;
      }
      for (GraphEdge e : cg.outgoing(s.node())) {
        GraphNode target = cg.node(e.target());
        if (!e.isAllowed() || e.target().equals(start) || target.type() != GraphNode.Type.WORKLOAD) {
          continue;
        }
        visit(reached, queue, new State(e.target(), s.use().worst(use(e, target.workload(), coverage))),
            new Step(s, e, depth + 1));
      }
      Workload w = cg.node(s.node()).workload();
      if (reach == null || w == null) {
        continue;
      }
      int c = reach.classOf(w);
      if (coverage != null) {
        BitSet targets = reach.reachable(c);
        for (int dc = targets.nextSetBit(0); dc >= 0; dc = targets.nextSetBit(dc + 1)) {
          for (Workload t : reach.workloads(dc)) {
            String id = t.id();
            if (!id.equals(s.node()) && !id.equals(start) && !cg.hasPairEdges(id) && cg.node(id) != null) {
              GraphEdge hop = cg.edge(s.node(), id);
              if (hop != null) {
                visit(reached, queue, new State(id, s.use().worst(use(hop, t, coverage))), new Step(s, hop, depth + 1));
              }
            }
          }
        }
        continue;
      }
      if (expanded.get(c)) {
        // The workload its own class's expansion left out is one hop from any of its twins.
        String self = skippedSelf.get(c);
        if (self != null && !self.equals(s.node())) {
          skippedSelf.remove(c);
          visit(reached, queue, new State(self, Use.UNKNOWN), new Step(s, null, depth + 1));
        }
        continue;
      }
      expanded.set(c);
      // Classes whose workloads were all reached are dropped a word (64 classes) at a time.
      BitSet targets = (BitSet) reach.reachable(c).clone();
      targets.andNot(full);
      for (int dc = targets.nextSetBit(0); dc >= 0; dc = targets.nextSetBit(dc + 1)) {
        boolean all = true;
        for (Workload t : reach.workloads(dc)) {
          String id = t.id();
          if (id.equals(s.node())) {
            skippedSelf.put(c, id);
            all = false;
          } else if (!id.equals(start) && !cg.hasPairEdges(id)) {
            // Pairs into workloads with edges of their own were followed above, with Istio's answer.
            visit(reached, queue, new State(id, Use.UNKNOWN), new Step(s, null, depth + 1));
          }
        }
        if (all) {
          full.set(dc);
        }
      }
    }
    return reached;
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

  private static void visit(Map<State, Step> reached, ArrayDeque<State> queue, State t, Step how) {
    if (!reached.containsKey(t)) {
      reached.put(t, how);
      queue.add(t);
    }
  }

  /** The edge a step took: the graph's own, or the allowed pair a class expansion stood for. */
  private static GraphEdge edge(CommunicationGraph cg, Map<State, Step> reached, State s) {
    Step step = reached.get(s);
    return step.edge() != null ? step.edge() : cg.edge(step.from().node(), s.node());
  }

  /** {@code frontend -[TCP 7070, used]-> cartservice -[TCP 6379, unused]-> redis-cart}. */
  private static String describe(CommunicationGraph cg, Map<State, Step> reached, State end, Coverage coverage) {
    List<GraphEdge> edges = new ArrayList<>();
    for (State s = end; reached.get(s).from() != null; s = reached.get(s).from()) {
      edges.add(0, edge(cg, reached, s));
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
