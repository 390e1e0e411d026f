package io.meshwarden.finding;

import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.RuleReach;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.Coverage;
import io.meshwarden.traffic.FlowSource;
import io.meshwarden.traffic.ObservedEdge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MW101: per NetworkPolicy rule, how many workload pairs it opens and how many of them traffic
 * used. A rule that opens hundreds of pairs for three callers is where least privilege starts. Only
 * pairs the flow sources in use could have seen count as unused (an inbound HTTP access log never
 * sees a Redis connection); the rest are reported as not observable, never as "remove it".
 */
final class AllowedButUnobservedDetector implements FindingDetector {
  private static final int SAMPLES = 5;

  @Override
  public Rule rule() {
    return Rule.ALLOWED_BUT_UNOBSERVED;
  }

  @Override
  public List<Finding> detect(AnalysisInput in) {
    if (!in.hasTraffic()) {
      return List.of();
    }
    Map<String, Workload> byId = Workloads.byId(in.model());
    Coverage coverage = Coverage.of(in.traffic().edges());
    // Observed workload edges by destination and by source: each rule reads only the edges of
    // the workloads it selects, not every edge (rules × edges was most of the report at 10,000).
    Map<String, List<ObservedEdge>> into = new HashMap<>();
    Map<String, List<ObservedEdge>> outOf = new HashMap<>();
    for (ObservedEdge e : in.traffic().edges()) {
      if (e.key().source().isWorkload() && e.key().destination().isWorkload()) {
        into.computeIfAbsent(e.key().destination().id(), k -> new ArrayList<>()).add(e);
        outOf.computeIfAbsent(e.key().source().id(), k -> new ArrayList<>()).add(e);
      }
    }
    List<Finding> out = new ArrayList<>();
    for (RuleReach r : in.connectivity().networkPolicyRules()) {
      long pairs = r.pairCount();
      if (pairs == 0) {
        continue;
      }
      Set<String> used = new HashSet<>();
      Map<String, ConnectionSet> portsCache = new HashMap<>();
      for (Workload subject : r.subjects()) {
        for (ObservedEdge e : (r.ingress() ? into : outOf).getOrDefault(subject.id(), List.of())) {
          String src = e.key().source().id();
          String dst = e.key().destination().id();
          Workload other = byId.get(r.ingress() ? src : dst);
          Workload dstW = r.ingress() ? subject : other;
          if (other == null || !r.isPeer(other) || src.equals(dst)) {
            continue;
          }
          ConnectionSet ports = portsCache.computeIfAbsent(dst, k -> r.portsTo(dstW));
          if (ports.contains(e.key().protocol(), e.key().port())) {
            used.add(src + " -> " + dst);
          }
        }
      }
      long observable = observablePairs(r, coverage, portsCache);
      long unused = observable - usedObservable(r, used, byId, coverage, portsCache);
      if (unused <= 0) {
        // Every pair it admits was used, or what is left the sources in use could not have seen.
        continue;
      }
      long blind = pairs - observable;
      List<Workload> destinations = r.ingress() ? r.subjects() : r.peers();
      Workload sensitive = destinations.stream().filter(in.sensitivity()::isSensitive).findFirst().orElse(null);
      Severity severity = sensitive != null ? Severity.HIGH : unused >= 10 ? Severity.MEDIUM : Severity.LOW;
      List<String> evidence = new ArrayList<>();
      if (sensitive != null) {
        evidence.add("reaches sensitive " + Workloads.shortName(sensitive) + " ("
            + in.sensitivity().reason(sensitive.id()) + ")");
      }
      used.stream().sorted().limit(SAMPLES).forEach(u -> evidence.add("used: " + u));
      unusedSamples(r, used, coverage, portsCache, evidence);
      String sources = String.join(", ", coverage.sources().stream().map(FlowSource::label).toList());
      String observed = "Observable: " + observable + " of its " + pairs + " pair(s), to ports that " + sources
          + " watched; " + (blind == 0 ? "no pair was outside what they can see."
              : blind + " pair(s) were not observable (" + blindSpots(coverage) + ") and are not counted as unused.");
      out.add(new Finding(rule(), severity,
          r + " allows " + pairs + " workload pair" + (pairs == 1 ? "" : "s") + ", " + used.size() + " used"
              + (blind == 0 ? "" : ", " + blind + " not observable"),
          r.policy(), evidence, r.origin(),
          (used.isEmpty()
              ? "No observed traffic matches this rule: remove it, or keep it only if the flows it serves are rare"
                  + " (batch jobs, failover) and were outside the observation window."
              : "Narrow the rule to the " + used.size() + " pair(s) seen (select the sources' labels instead of"
                  + " broad selectors), or replace it with `meshwarden generate` output.") + " " + observed)
          .at(r.toString()));
    }
    return out;
  }

  /**
   * Pairs of the rule whose traffic a source in use would have seen: the destination's ingress or
   * the source's egress was watched on a port the rule admits. Counted per destination so that a
   * rule over thousands of workloads is not expanded into pairs.
   */
  private static long observablePairs(RuleReach r, Coverage coverage, Map<String, ConnectionSet> portsCache) {
    List<Workload> sources = r.ingress() ? r.peers() : r.subjects();
    List<Workload> destinations = r.ingress() ? r.subjects() : r.peers();
    List<Workload> everyPort = new ArrayList<>();
    List<Workload> somePorts = new ArrayList<>();
    for (Workload s : sources) {
      Coverage.Side eg = coverage.egress(s.id());
      if (!eg.everyPort().isEmpty()) {
        everyPort.add(s);
      } else if (!eg.ports().isEmpty()) {
        somePorts.add(s);
      }
    }
    long n = 0;
    for (Workload d : destinations) {
      ConnectionSet ports = portsCache.computeIfAbsent(d.id(), k -> r.portsTo(d));
      boolean selfSource = r.ingress() ? r.isPeer(d) : r.isSubject(d);
      if (covers(coverage.ingress(d.id()), ports)) {
        n += sources.size() - (selfSource ? 1 : 0);
        continue;
      }
      n += everyPort.size() - (selfSource && !coverage.egress(d.id()).everyPort().isEmpty() ? 1 : 0);
      for (Workload s : somePorts) {
        if (s != d && covers(coverage.egress(s.id()), ports)) {
          n++;
        }
      }
    }
    return n;
  }

  /** Used pairs are observable by definition, unless only a source of unknown vantage saw them. */
  private static long usedObservable(RuleReach r, Set<String> used, Map<String, Workload> byId, Coverage coverage,
      Map<String, ConnectionSet> portsCache) {
    long n = 0;
    for (String pair : used) {
      int at = pair.indexOf(" -> ");
      Workload s = byId.get(pair.substring(0, at));
      Workload d = byId.get(pair.substring(at + 4));
      if (s != null && d != null && observable(s, d, coverage, portsCache.computeIfAbsent(d.id(), k -> r.portsTo(d)))) {
        n++;
      }
    }
    return n;
  }

  private static boolean observable(Workload s, Workload d, Coverage coverage, ConnectionSet ports) {
    return covers(coverage.ingress(d.id()), ports) || covers(coverage.egress(s.id()), ports);
  }

  private static boolean covers(Coverage.Side side, ConnectionSet ports) {
    if (ports.isEmpty()) {
      return false;
    }
    if (!side.everyPort().isEmpty()) {
      return true;
    }
    for (Coverage.PortKey p : side.ports().keySet()) {
      if (ports.contains(p.protocol(), p.port())) {
        return true;
      }
    }
    return false;
  }

  private static String blindSpots(Coverage coverage) {
    List<String> out = new ArrayList<>();
    for (FlowSource s : coverage.sources()) {
      out.add(s.label() + " cannot see " + String.join(", ", s.blindSpots()));
    }
    return String.join("; ", out);
  }

  private static void unusedSamples(RuleReach r, Set<String> used, Coverage coverage,
      Map<String, ConnectionSet> portsCache, List<String> evidence) {
    int shown = 0;
    int blind = 0;
    List<Workload> sources = r.ingress() ? r.peers() : r.subjects();
    List<Workload> destinations = r.ingress() ? r.subjects() : r.peers();
    for (Workload s : sources) {
      for (Workload d : destinations) {
        String pair = s.id() + " -> " + d.id();
        if (shown == SAMPLES && blind == SAMPLES) {
          return;
        }
        if (s == d || used.contains(pair)) {
          continue;
        }
        ConnectionSet ports = portsCache.computeIfAbsent(d.id(), k -> r.portsTo(d));
        if (!observable(s, d, coverage, ports)) {
          if (blind < SAMPLES) {
            evidence.add("not observable: " + Workloads.shortName(s) + " -> " + Workloads.shortName(d) + " : " + ports);
            blind++;
          }
          continue;
        }
        if (shown < SAMPLES) {
          evidence.add("unused: " + Workloads.shortName(s) + " -> " + Workloads.shortName(d) + " : " + ports);
          shown++;
        }
      }
    }
  }
}
