package io.meshwarden.finding;

import io.meshwarden.authz.AuthzDecision;
import io.meshwarden.authz.Verdict;
import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.decision.LayeredDecider;
import io.meshwarden.decision.RequestAttributes;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * MW105: observed flows that current policy denies, at L4 (NetworkPolicy, admin tiers) or, for
 * a connection L4 lets through, by Istio authorization judging the observed request. Either policy
 * is about to break something that works (it was observed before the policy, or the data plane
 * does not enforce it yet), or something is trying what it should not.
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
      if (allowed != null && !allowed.contains(e.key().protocol(), e.key().port()) && !dependsOnDns(c, byId, e)) {
        denied.computeIfAbsent(src + "|" + dst + "|" + e.key().protocol() + " " + e.key().port(),
            k -> new ArrayList<>()).add(e);
      }
    }
    List<Finding> out = new ArrayList<>(byL4(in, byId, denied));
    out.addAll(byAuthorization(in, byId, denied.keySet()));
    return out;
  }

  private List<Finding> byL4(AnalysisInput in, Map<String, Workload> byId, Map<String, List<ObservedEdge>> denied) {
    Connectivity c = in.connectivity();
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
        evidence.add(observed(e));
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

  /**
   * Observed requests that L4 lets through but Istio authorization denies, each judged with what
   * the flow record knows (method, path, source address). Only a certain DENIED counts: a request
   * whose fate depends on what the record cannot carry (a JWT, a header) is no evidence of breakage.
   * A connection also seen as HTTP requests is judged by its requests, as dry-run does.
   */
  private List<Finding> byAuthorization(AnalysisInput in, Map<String, Workload> byId, Set<String> l4Denied) {
    LayeredDecider decider = in.graph().decider();
    Predicate<ObservedEdge> judgedAtL7 = in.traffic().alsoSeenAsHttp();
    Map<String, List<ObservedEdge>> groups = new LinkedHashMap<>();
    Map<String, AuthzDecision> decisions = new LinkedHashMap<>();
    for (ObservedEdge e : in.traffic().edges()) {
      PeerRef src = e.key().source();
      PeerRef dst = e.key().destination();
      Workload d = byId.get(dst.id());
      String where = src + "|" + dst + "|" + e.key().protocol() + " " + e.key().port();
      if (d == null || !dst.isWorkload() || l4Denied.contains(where) || judgedAtL7.test(e)) {
        continue;
      }
      List<Peer> sources = peers(in.connectivity(), byId, src, true);
      if (sources == null || sources.isEmpty()) {
        continue;
      }
      String ip = src.address().filter(IpRange::isSingleAddress).map(IpRange::firstAddress).orElse(null);
      RequestAttributes attrs = new RequestAttributes(null, e.key().method(), e.key().pathTemplate(), null, Map.of(),
          false, ip, null, null);
      // A peer standing for several ranges is denied only when every one of them is.
      AuthzDecision decision = null;
      for (Peer s : sources) {
        AuthzDecision x = decider.authz(s, d, e.key().protocol(), e.key().port(), attrs, false);
        if (x.verdict() != Verdict.DENIED) {
          decision = null;
          break;
        }
        decision = decision == null ? x : decision;
      }
      if (decision != null) {
        String key = where + "|" + decision.policyAndRule();
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        decisions.putIfAbsent(key, decision);
      }
    }
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<String, List<ObservedEdge>> g : groups.entrySet()) {
      List<ObservedEdge> group = g.getValue();
      AuthzDecision decision = decisions.get(g.getKey());
      ObservedEdge first = group.get(0);
      PeerRef src = first.key().source();
      PeerRef dst = first.key().destination();
      long flows = group.stream().mapToLong(e -> e.stats().count()).sum();
      long droppedByDataPlane = group.stream().mapToLong(e -> e.stats().denied()).sum();
      List<String> evidence = new ArrayList<>();
      evidence.add("Istio authorization: " + decision);
      for (ObservedEdge e : group) {
        evidence.add(observed(e));
      }
      String what = name(src, byId) + " -> " + name(dst, byId) + " " + first.key().protocol() + " "
          + first.key().port();
      String by = decision.policyAndRule() == null ? "Istio authorization" : decision.policyAndRule();
      out.add(new Finding(rule(), droppedByDataPlane == flows ? Severity.MEDIUM : Severity.HIGH,
          "observed " + what + " (" + flows + " flows) is denied by " + by
              + (droppedByDataPlane > 0 ? "; the data plane dropped " + droppedByDataPlane : ""),
          src + " -> " + dst, evidence, decision.origin(),
          "If this traffic is legitimate, allow it in " + by + " (`meshwarden explain` with --method/--path names"
              + " the deciding rule); if not, find out why " + name(src, byId) + " tries it."));
    }
    return out;
  }

  /**
   * Whether the denial of a flow to an external address hinges on DNS: a ClusterNetworkPolicy
   * {@code domainNames} rule would accept it if the address is one of the names'. Like a request
   * whose fate depends on a header the record lacks, that is no evidence of breakage.
   */
  private static boolean dependsOnDns(Connectivity c, Map<String, Workload> byId, ObservedEdge e) {
    Workload s = byId.get(e.key().source().id());
    PeerRef dst = e.key().destination();
    if (s == null || dst.isWorkload() || dst.dnsName().isPresent()) {
      return false;
    }
    List<Peer> targets = peers(c, byId, dst, false);
    for (Peer d : targets == null ? List.<Peer>of() : targets) {
      if (c.explain(new Peer.WorkloadPeer(s), d, e.key().protocol(), e.key().port()).egress().depends()) {
        return true;
      }
    }
    return false;
  }

  private static String observed(ObservedEdge e) {
    return "observed " + (e.key().method() == null ? "" : e.key().method() + " " + e.key().pathTemplate() + " ")
        + e.stats().count() + "x, " + e.stats().firstSeen() + " .. " + e.stats().lastSeen() + ", e.g. "
        + e.stats().sample();
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
    return c.externalPeers(p.address().orElse(null), p.dnsName().orElse(null), source);
  }
}
