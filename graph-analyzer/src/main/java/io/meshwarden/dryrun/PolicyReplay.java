package io.meshwarden.dryrun;

import io.meshwarden.authz.AuthorizationPolicyEvaluator;
import io.meshwarden.authz.AuthzDecision;
import io.meshwarden.authz.AuthzRequest;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Explanation;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Replays recorded traffic through a cluster model that carries a proposed policy: Kubernetes
 * tiers (NetworkPolicy, AdminNetworkPolicy) at L4, and Istio AuthorizationPolicies per request,
 * dry-run ones included. Pure; the proposal is never enforced.
 */
public final class PolicyReplay {
  private PolicyReplay() {}

  public static ReplayReport replay(ClusterModel proposed, TrafficModel traffic, String trustDomain,
      Consumer<String> warn) {
    Connectivity connectivity = ConnectivityAnalyzer.analyze(proposed);
    AuthorizationPolicyEvaluator authz = AuthorizationPolicyEvaluator.of(proposed, warn);
    Map<String, Workload> byId = new HashMap<>();
    proposed.workloads().forEach(w -> byId.put(w.id(), w));
    Map<String, Acc> groups = new LinkedHashMap<>();
    long flows = 0;
    long denied = 0;
    // A connection seen both as L4 packets and as HTTP requests is judged by its requests.
    java.util.Set<String> seenAsHttp = new java.util.HashSet<>();
    for (ObservedEdge e : traffic.edges()) {
      if (e.key().method() != null) {
        seenAsHttp.add(e.key().source() + "|" + e.key().destination() + "|" + e.key().port());
      }
    }
    for (ObservedEdge e : traffic.edges()) {
      flows += e.stats().count();
      List<Peer> sources = peers(e.key().source(), byId, connectivity, true);
      List<Peer> destinations = peers(e.key().destination(), byId, connectivity, false);
      if (sources.isEmpty() || destinations.isEmpty()
          || (!(sources.get(0) instanceof Peer.WorkloadPeer) && !(destinations.get(0) instanceof Peer.WorkloadPeer))) {
        continue;
      }
      Peer src = sources.get(0);
      Peer dst = destinations.get(0);
      // An address-less peer stands for several ranges: denied only if none of them allows it.
      Peer deniedSrc = null;
      Peer deniedDst = null;
      boolean allowed = false;
      for (Peer s : sources) {
        for (Peer d : destinations) {
          if (connectivity.allowed(s, d).contains(e.key().protocol(), e.key().port())) {
            allowed = true;
          } else if (deniedSrc == null) {
            deniedSrc = s;
            deniedDst = d;
          }
        }
      }
      if (!allowed) {
        Explanation x = connectivity.explain(deniedSrc, deniedDst, e.key().protocol(), e.key().port());
        Explanation.Side side = !x.ingress().allowed() ? x.ingress() : x.egress();
        String why = (side == x.ingress() ? "ingress of " : "egress of ") + side.subject() + ": "
            + side.steps().get(side.steps().size() - 1);
        add(groups, dst.displayName() + " " + e.key().protocol() + " " + e.key().port(), "L4", why, Origin.UNKNOWN, e);
        denied += e.stats().count();
        continue;
      }
      boolean l4Shadow = e.key().method() == null
          && seenAsHttp.contains(e.key().source() + "|" + e.key().destination() + "|" + e.key().port());
      if (dst instanceof Peer.WorkloadPeer d && authz.hasPolicies() && !l4Shadow) {
        Workload s = src instanceof Peer.WorkloadPeer sw ? sw.workload() : null;
        String ip = e.key().source().address().filter(a -> a.first() == a.last())
            .map(a -> IpRange.format(a.first())).orElse(null);
        AuthzRequest req = new AuthzRequest(
            s == null ? null : trustDomain + "/ns/" + s.namespace() + "/sa/" + s.serviceAccount(),
            s == null ? null : s.namespace(), ip, d.workload(), e.key().port(), e.key().method(),
            e.key().pathTemplate() == null ? null : e.key().pathTemplate(), null, Map.of());
        AuthzDecision decision = authz.decide(req, true);
        if (!decision.allowed()) {
          add(groups, dst.displayName() + " " + e.key().protocol() + " " + e.key().port(), "L7",
              (decision.policy() == null ? "" : decision.policy() + (decision.rule() > 0 ? " rule #" + decision.rule() : "")
                  + ": ") + decision.reason(), decision.origin(), e);
          denied += e.stats().count();
        }
      }
    }
    List<ReplayReport.Group> out = new ArrayList<>();
    for (Acc a : groups.values()) {
      out.add(new ReplayReport.Group(a.destination, a.layer, a.decidedBy, a.origin, a.flows,
          List.copyOf(a.sources), a.samples));
    }
    out.sort(Comparator.comparingLong(ReplayReport.Group::flows).reversed()
        .thenComparing(ReplayReport.Group::destination));
    return new ReplayReport(traffic.edges().size(), flows, denied, out);
  }

  private static final class Acc {
    final String destination;
    final String layer;
    final String decidedBy;
    final Origin origin;
    long flows;
    final TreeSet<String> sources = new TreeSet<>();
    final List<String> samples = new ArrayList<>();

    Acc(String destination, String layer, String decidedBy, Origin origin) {
      this.destination = destination;
      this.layer = layer;
      this.decidedBy = decidedBy;
      this.origin = origin;
    }
  }

  private static void add(Map<String, Acc> groups, String destination, String layer, String why, Origin origin,
      ObservedEdge e) {
    Acc a = groups.computeIfAbsent(destination + "|" + layer + "|" + why, k -> new Acc(destination, layer, why, origin));
    a.flows += e.stats().count();
    a.sources.add(e.key().source().id());
    if (a.samples.size() < 5) {
      a.samples.add(e.key().source() + " -> " + e.key().destination() + " " + e.key().protocol() + " " + e.key().port()
          + (e.key().method() == null ? "" : " " + e.key().method() + " " + e.key().pathTemplate()) + " ("
          + e.stats().count() + "x, last " + e.stats().lastSeen() + ", " + e.stats().sample() + ")");
    }
  }

  /** The connectivity peers a resolved endpoint may stand for (one workload, or external ranges). */
  private static List<Peer> peers(PeerRef ref, Map<String, Workload> byId, Connectivity c, boolean source) {
    if (ref.isWorkload()) {
      Workload w = byId.get(ref.id());
      return w == null ? List.of() : List.of(new Peer.WorkloadPeer(w));
    }
    return c.externalPeers(ref.address().orElse(null), source);
  }
}
