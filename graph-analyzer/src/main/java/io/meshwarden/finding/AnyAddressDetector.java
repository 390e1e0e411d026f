package io.meshwarden.finding;

import io.meshwarden.connectivity.RuleReach;
import io.meshwarden.exposure.EntryPointScanner;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * MW108: an ingress rule that admits every public address into workloads that no entry point
 * leads to. Nothing outside the cluster can reach them unless pod IPs are routable from where it
 * sits (flat or VPC-native pod networks, peered networks), so this is less than exposure (MW103):
 * a rule wider than it needs to be, and exposure the day someone adds a LoadBalancer.
 */
final class AnyAddressDetector implements FindingDetector {
  @Override
  public Rule rule() {
    return Rule.ANY_ADDRESS;
  }

  @Override
  public List<Finding> detect(AnalysisInput in) {
    Set<String> entryPoints = new HashSet<>();
    EntryPointScanner.scan(in.model(), in.traffic()).forEach(e -> entryPoints.add(e.workload().id()));
    List<Finding> out = new ArrayList<>();
    for (RuleReach r : in.connectivity().networkPolicyRules()) {
      if (!r.ingress() || !(r.anyIp() || coversPublicSpace(r.ipRanges()))) {
        continue;
      }
      List<Workload> behindNothing = r.subjects().stream().filter(w -> !entryPoints.contains(w.id())).toList();
      if (behindNothing.isEmpty()) {
        continue; // every subject is an entry point: MW103 reports them
      }
      boolean sensitive = behindNothing.stream().anyMatch(in.sensitivity()::isSensitive);
      List<String> evidence = new ArrayList<>();
      for (Workload w : behindNothing) {
        String why = in.sensitivity().reason(w.id());
        evidence.add("admits any address into " + Workloads.shortName(w) + " : " + r.portsTo(w)
            + (why == null ? "" : " (sensitive: " + why + ")"));
      }
      int n = behindNothing.size();
      out.add(new Finding(rule(), sensitive ? Severity.MEDIUM : Severity.LOW,
          r + " admits every public address into " + n + " workload" + (n == 1 ? "" : "s")
              + " that no entry point leads to (reachable only where pod IPs are routable)",
          r.policy(), evidence.stream().limit(10).toList(), r.origin(),
          "Admit only the peers that connect (the ingress controller's or gateway's namespace, named ranges);"
              + " if these workloads are meant to be public, put an entry point in front of them.").at(r.toString()));
    }
    return out;
  }

  /**
   * Whether the ranges leave out no public address of a family: every gap between them lies in
   * private-use space, as in {@code 0.0.0.0/0 except 10.0.0.0/8} or {@code ::/0 except fc00::/7}.
   */
  static boolean coversPublicSpace(List<IpRange> ranges) {
    return coversPublicSpace(ranges, IpRange.Family.IPV4) || coversPublicSpace(ranges, IpRange.Family.IPV6);
  }

  private static boolean coversPublicSpace(List<IpRange> ranges, IpRange.Family family) {
    List<IpRange> sorted = new ArrayList<>(ranges.stream().filter(r -> r.family() == family).toList());
    if (sorted.isEmpty()) {
      return false;
    }
    sorted.sort(Comparator.naturalOrder());
    IpRange all = IpRange.all(family);
    long[] next = {0, 0};
    boolean done = false;
    for (IpRange r : sorted) {
      if (done) {
        break;
      }
      if (IpRange.compare(r.firstHigh(), r.firstLow(), next[0], next[1]) > 0) {
        long[] gapEnd = IpRange.predecessor(r.firstHigh(), r.firstLow());
        if (!new IpRange(family, next[0], next[1], gapEnd[0], gapEnd[1]).isPrivateUse()) {
          return false;
        }
      }
      if (r.lastHigh() == all.lastHigh() && r.lastLow() == all.lastLow()) {
        done = true;
      } else if (IpRange.compare(r.lastHigh(), r.lastLow(), next[0], next[1]) >= 0) {
        next = IpRange.successor(r.lastHigh(), r.lastLow());
      }
    }
    return done || new IpRange(family, next[0], next[1], all.lastHigh(), all.lastLow()).isPrivateUse();
  }
}
