package io.meshwarden.finding;

import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MW105: observed flows that current policy denies. Either policy is about to break something
 * that works (it was observed before the policy, or the data plane does not enforce it yet), or
 * something is trying what it should not.
 */
final class WouldBreakDetector implements FindingDetector {
  @Override
  public Rule rule() {
    return Rule.WOULD_BREAK;
  }

  @Override
  public List<Finding> detect(AnalysisInput in) {
    Map<String, Workload> byId = Workloads.byId(in.model());
    Connectivity c = in.connectivity();
    Map<String, List<ObservedEdge>> denied = new LinkedHashMap<>();
    for (ObservedEdge e : in.traffic().edges()) {
      PeerRef src = e.key().source();
      PeerRef dst = e.key().destination();
      if (!src.isWorkload() && !dst.isWorkload()) {
        continue;
      }
      ConnectionSet allowed = allowed(c, byId, src, dst);
      if (allowed != null && !allowed.contains(e.key().protocol(), e.key().port())) {
        denied.computeIfAbsent(src + "|" + dst + "|" + e.key().protocol() + " " + e.key().port(),
            k -> new ArrayList<>()).add(e);
      }
    }
    List<Finding> out = new ArrayList<>();
    for (List<ObservedEdge> group : denied.values()) {
      ObservedEdge first = group.get(0);
      PeerRef src = first.key().source();
      PeerRef dst = first.key().destination();
      long flows = group.stream().mapToLong(e -> e.stats().count()).sum();
      long droppedByDataPlane = group.stream().mapToLong(e -> e.stats().denied()).sum();
      List<String> evidence = new ArrayList<>();
      Origin origin = Origin.UNKNOWN;
      Workload s = byId.get(src.id());
      Workload d = byId.get(dst.id());
      if (s != null && c.isProtected(s, false)) {
        List<NetworkPolicy> ps = Workloads.selecting(in.model(), s, false);
        ps.forEach(p -> evidence.add("egress of " + Workloads.shortName(s) + " is limited by NetworkPolicy "
            + p.qualifiedName() + " (" + p.origin() + ")"));
        origin = ps.isEmpty() ? origin : ps.get(0).origin();
      }
      if (d != null && c.isProtected(d, true)) {
        List<NetworkPolicy> ps = Workloads.selecting(in.model(), d, true);
        ps.forEach(p -> evidence.add("ingress of " + Workloads.shortName(d) + " is limited by NetworkPolicy "
            + p.qualifiedName() + " (" + p.origin() + ")"));
        origin = ps.isEmpty() ? origin : ps.get(0).origin();
      }
      for (ObservedEdge e : group) {
        evidence.add("observed " + (e.key().method() == null ? "" : e.key().method() + " " + e.key().pathTemplate() + " ")
            + e.stats().count() + "x, " + e.stats().firstSeen() + " .. " + e.stats().lastSeen() + ", e.g. "
            + e.stats().sample());
      }
      String what = name(src, byId) + " -> " + name(dst, byId) + " " + first.key().protocol() + " "
          + first.key().port();
      out.add(new Finding(rule(), droppedByDataPlane == flows ? Severity.MEDIUM : Severity.HIGH,
          "observed " + what + " (" + flows + " flows) is denied by current policy"
              + (droppedByDataPlane > 0 ? "; the data plane dropped " + droppedByDataPlane : ""),
          src + " -> " + dst, evidence, origin,
          "If this traffic is legitimate, allow it (`meshwarden explain` names the deciding rule); if not,"
              + " find out why " + name(src, byId) + " tries it."));
    }
    return out;
  }

  private static String name(PeerRef p, Map<String, Workload> byId) {
    Workload w = byId.get(p.id());
    return w == null ? p.id() : Workloads.shortName(w);
  }

  /**
   * What policy allows between two resolved peers, or null when the question has no answer in the
   * model (an unknown workload). A peer known only as "internet" or a DNS name could be any public
   * address, so it counts as allowed if any range of public addresses is.
   */
  static ConnectionSet allowed(Connectivity c, Map<String, Workload> byId, PeerRef src, PeerRef dst) {
    List<Peer> sources = peers(c, byId, src, true);
    List<Peer> destinations = peers(c, byId, dst, false);
    if (sources == null || destinations == null) {
      return null;
    }
    ConnectionSet out = ConnectionSet.NONE;
    for (Peer s : sources) {
      for (Peer d : destinations) {
        out = out.union(c.allowed(s, d));
      }
    }
    return out;
  }

  private static List<Peer> peers(Connectivity c, Map<String, Workload> byId, PeerRef p, boolean source) {
    if (p.isWorkload()) {
      Workload w = byId.get(p.id());
      return w == null ? null : List.of(new Peer.WorkloadPeer(w));
    }
    return c.externalPeers(p.address().orElse(null), source);
  }
}
