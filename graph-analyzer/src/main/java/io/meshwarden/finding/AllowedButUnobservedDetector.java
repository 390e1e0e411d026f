package io.meshwarden.finding;

import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.RuleReach;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.ObservedEdge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MW101: per NetworkPolicy rule, how many workload pairs it opens and how many of them traffic
 * used. A rule that opens hundreds of pairs for three callers is where least privilege starts.
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
    List<ObservedEdge> workloadEdges = in.traffic().edges().stream()
        .filter(e -> e.key().source().isWorkload() && e.key().destination().isWorkload()).toList();
    List<Finding> out = new ArrayList<>();
    for (RuleReach r : in.connectivity().networkPolicyRules()) {
      long pairs = r.pairCount();
      if (pairs == 0) {
        continue;
      }
      Set<String> subjects = ids(r.subjects());
      Set<String> peers = ids(r.peers());
      Set<String> used = new HashSet<>();
      Map<String, ConnectionSet> portsCache = new HashMap<>();
      for (ObservedEdge e : workloadEdges) {
        String src = e.key().source().id();
        String dst = e.key().destination().id();
        boolean inRule = r.ingress() ? peers.contains(src) && subjects.contains(dst)
            : subjects.contains(src) && peers.contains(dst);
        Workload dstW = byId.get(dst);
        if (!inRule || dstW == null || src.equals(dst)) {
          continue;
        }
        ConnectionSet ports = portsCache.computeIfAbsent(dst, k -> r.portsTo(dstW));
        if (ports.contains(e.key().protocol(), e.key().port())) {
          used.add(src + " -> " + dst);
        }
      }
      long unused = pairs - used.size();
      if (unused <= 0) {
        continue;
      }
      List<Workload> destinations = r.ingress() ? r.subjects() : r.peers();
      Workload sensitive = destinations.stream().filter(in.sensitivity()::isSensitive).findFirst().orElse(null);
      Severity severity = sensitive != null ? Severity.HIGH : unused >= 10 ? Severity.MEDIUM : Severity.LOW;
      List<String> evidence = new ArrayList<>();
      if (sensitive != null) {
        evidence.add("reaches sensitive " + Workloads.shortName(sensitive) + " ("
            + in.sensitivity().reason(sensitive.id()) + ")");
      }
      used.stream().sorted().limit(SAMPLES).forEach(u -> evidence.add("used: " + u));
      unusedSamples(r, used, evidence);
      out.add(new Finding(rule(), severity,
          r + " allows " + pairs + " workload pair" + (pairs == 1 ? "" : "s") + ", " + used.size() + " used",
          r.policy(), evidence, r.origin(),
          used.isEmpty()
              ? "No observed traffic matches this rule: remove it, or keep it only if the flows it serves are rare"
                  + " (batch jobs, failover) and were outside the observation window."
              : "Narrow the rule to the " + used.size() + " pair(s) seen (select the sources' labels instead of"
                  + " broad selectors), or replace it with `meshwarden generate` output.").at(r.toString()));
    }
    return out;
  }

  private static void unusedSamples(RuleReach r, Set<String> used, List<String> evidence) {
    int shown = 0;
    List<Workload> sources = r.ingress() ? r.peers() : r.subjects();
    List<Workload> destinations = r.ingress() ? r.subjects() : r.peers();
    for (Workload s : sources) {
      for (Workload d : destinations) {
        String pair = s.id() + " -> " + d.id();
        if (s != d && !used.contains(pair)) {
          evidence.add("unused: " + Workloads.shortName(s) + " -> " + Workloads.shortName(d) + " : " + r.portsTo(d));
          if (++shown == SAMPLES) {
            return;
          }
        }
      }
    }
  }

  private static Set<String> ids(List<Workload> ws) {
    Set<String> out = new HashSet<>();
    ws.forEach(w -> out.add(w.id()));
    return out;
  }
}
