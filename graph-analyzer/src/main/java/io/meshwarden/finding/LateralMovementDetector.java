package io.meshwarden.finding;

import io.meshwarden.exposure.EntryPoint;
import io.meshwarden.exposure.EntryPointScanner;
import io.meshwarden.graph.CommunicationGraph;
import io.meshwarden.graph.GraphEdge;
import io.meshwarden.graph.GraphNode;
import io.meshwarden.model.Workload;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * <p>What makes a path dangerous is a hop the application does not need. With traffic, a path
 * with at least one allowed-but-unobserved hop is the policy's fault: critical within two hops,
 * high beyond. A path made only of observed hops is the application's own data path (the
 * frontend calls the cart, the cart its database): reported at medium, saying so, because
 * narrowing L4 policy cannot cut it without breaking the app. Without traffic nobody can tell
 * the two apart: high within two hops, medium beyond.
 *
 * <p>A hop is an edge every layer lets through ({@link GraphEdge#isAllowed}): one that Istio
 * authorization denies, or leaves to an external authorizer, is no hop.
 *
 * <p>The search is a breadth-first search from each entry point over states (workload, "an
 * unused hop was taken"), bounded by the path length; it asks each visited workload only for its
 * own outgoing hops, so it never needs the whole set of allowed pairs.
 */
final class LateralMovementDetector implements FindingDetector {
  private static final int SHOWN_PATHS = 10;

  @Override
  public Rule rule() {
    return Rule.LATERAL_MOVEMENT;
  }

  /** A search state: where the path is, and whether it took an allowed-but-unobserved hop. */
  private record State(String node, boolean unused) {}

  /** How a state was first reached. */
  private record Step(State from, GraphEdge edge, int depth) {}

  @Override
  public List<Finding> detect(AnalysisInput in) {
    CommunicationGraph cg = in.graph();
    boolean traffic = in.hasTraffic();
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
      Map<State, Step> reached = search(cg, start.id(), in.maxPathLength());
      Set<String> radius = new HashSet<>();
      reached.keySet().forEach(s -> radius.add(s.node()));
      radius.remove(start.id());
      List<State> viaUnused = new ArrayList<>();
      List<State> ownOnly = new ArrayList<>();
      for (String id : radius) {
        GraphNode n = cg.node(id);
        if (n.workload() == null || !in.sensitivity().isSensitive(n.workload())) {
          continue;
        }
        State unused = new State(id, true);
        State own = new State(id, false);
        if (reached.containsKey(unused)) {
          viaUnused.add(unused);
        } else {
          ownOnly.add(own);
        }
      }
      if (viaUnused.isEmpty() && ownOnly.isEmpty()) {
        continue;
      }
      Comparator<State> nearestFirst = Comparator.comparingInt((State s) -> reached.get(s).depth())
          .thenComparing(State::node);
      viaUnused.sort(nearestFirst);
      ownOnly.sort(nearestFirst);
      out.add(finding(in, cg, start.workload(), entry.getValue(), reached, viaUnused, ownOnly, radius.size(),
          traffic));
    }
    return out;
  }

  private Finding finding(AnalysisInput in, CommunicationGraph cg, Workload w, List<EntryPoint> entries,
      Map<State, Step> reached, List<State> viaUnused, List<State> ownOnly, int radius, boolean traffic) {
    List<State> all = new ArrayList<>(viaUnused);
    all.addAll(ownOnly);
    all.sort(Comparator.comparingInt((State s) -> reached.get(s).depth()).thenComparing(State::node));
    State nearest = (traffic && !viaUnused.isEmpty() ? viaUnused : all).get(0);
    int hops = reached.get(nearest).depth();
    String target = Workloads.shortName(cg.node(nearest.node()).workload());
    int count = traffic && !viaUnused.isEmpty() ? viaUnused.size() : all.size();
    String sensitive = count + " sensitive workload" + (count == 1 ? "" : "s");
    String nearestText = "nearest " + target + " in " + hops + " hop" + (hops == 1 ? "" : "s");
    Severity severity;
    String title;
    String from = Workloads.shortName(w) + " (entry point)";
    if (!traffic) {
      severity = hops <= 2 ? Severity.HIGH : Severity.MEDIUM;
      title = from + " can reach " + sensitive + ", " + nearestText
          + " (no traffic given: needed and unneeded hops cannot be told apart)";
    } else if (!viaUnused.isEmpty()) {
      severity = hops <= 2 ? Severity.CRITICAL : Severity.HIGH;
      title = from + " can reach " + sensitive + " over allowed hops no traffic used, " + nearestText;
    } else {
      severity = Severity.MEDIUM;
      title = from + " reaches " + sensitive + " only along the app's own data path (every hop observed), "
          + nearestText;
    }
    List<String> evidence = new ArrayList<>();
    entries.forEach(e -> evidence.add("entry: " + ExternalExposureDetector.how(e) + " (" + e.origin() + ")"));
    evidence.add("blast radius: " + radius + " workload" + (radius == 1 ? "" : "s") + " reachable within "
        + in.maxPathLength() + " hops");
    int shown = 0;
    for (State s : traffic ? viaUnused : all) {
      if (shown++ < SHOWN_PATHS) {
        evidence.add(describe(cg, reached, s, traffic) + " (" + in.sensitivity().reason(s.node()) + ")");
      }
    }
    if (traffic) {
      for (State s : ownOnly) {
        if (shown++ < SHOWN_PATHS) {
          evidence.add("app's own data path: " + describe(cg, reached, s, true) + " ("
              + in.sensitivity().reason(s.node()) + ")");
        }
      }
    }
    String remediation = traffic && viaUnused.isEmpty()
        ? "Every hop is traffic the app needs: L4 policy cannot cut it. Keep the entry point's requests"
            + " authenticated and authorise each hop at L7 (AuthorizationPolicy on methods and paths)."
        : "Cut the paths at their first unused hop: allow the entry point to call only what it needs, and admit"
            + " into sensitive workloads only their real clients.";
    return new Finding(rule(), severity, title, w.id(), evidence, w.origin(), remediation);
  }

  /** Breadth-first search over (workload, took-an-unused-hop) states, at most {@code maxDepth} hops deep. */
  private static Map<State, Step> search(CommunicationGraph cg, String start, int maxDepth) {
    Map<State, Step> reached = new HashMap<>();
    State origin = new State(start, false);
    reached.put(origin, new Step(null, null, 0));
    ArrayDeque<State> queue = new ArrayDeque<>();
    queue.add(origin);
    while (!queue.isEmpty()) {
      State s = queue.poll();
      int depth = reached.get(s).depth();
      if (depth == maxDepth) {
        continue;
      }
      for (GraphEdge e : cg.outgoing(s.node())) {
        if (!e.isAllowed() || e.target().equals(start) || cg.node(e.target()).type() != GraphNode.Type.WORKLOAD) {
          continue;
        }
        State t = new State(e.target(), s.unused() || !e.isObserved());
        if (!reached.containsKey(t)) {
          reached.put(t, new Step(s, e, depth + 1));
          queue.add(t);
        }
      }
    }
    return reached;
  }

  /** {@code frontend -[TCP 7070, used]-> cartservice -[TCP 6379, unused]-> redis-cart}. */
  private static String describe(CommunicationGraph cg, Map<State, Step> reached, State end, boolean traffic) {
    List<GraphEdge> edges = new ArrayList<>();
    for (State s = end; reached.get(s).from() != null; s = reached.get(s).from()) {
      edges.add(0, reached.get(s).edge());
    }
    StringBuilder sb = new StringBuilder(name(cg, edges.get(0).source()));
    for (GraphEdge e : edges) {
      sb.append(" -[").append(e.allowed()).append(traffic ? (e.isObserved() ? ", used" : ", unused") : "")
          .append(e.authz() == null ? "" : ", Istio " + e.authz().verdict().name().toLowerCase(Locale.ROOT))
          .append("]-> ").append(name(cg, e.target()));
    }
    return sb.toString();
  }

  private static String name(CommunicationGraph cg, String id) {
    GraphNode n = cg.node(id);
    return n.workload() == null ? id : n.workload().name();
  }
}
