package io.meshwarden.dryrun;

import io.meshwarden.authz.AuthorizationPolicyEvaluator;
import io.meshwarden.authz.TrustDomains;
import io.meshwarden.authz.Verdict;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.decision.LayerDecision;
import io.meshwarden.decision.LayeredDecider;
import io.meshwarden.decision.LayeredDecision;
import io.meshwarden.decision.RequestAttributes;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
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
import java.util.function.Predicate;

/**
 * Replays recorded traffic through a cluster model that carries a proposed policy, every flow
 * through every layer together ({@link LayeredDecider}): Kubernetes tiers at L4, then Istio
 * AuthorizationPolicies per request, dry-run ones included. Flows a layer denies, and flows whose
 * fate depends on what the records do not say (a header, a JWT) or on an external authorizer,
 * are grouped by destination and deciding layer and rule. Pure; the proposal is never enforced.
 */
public final class PolicyReplay {
  private PolicyReplay() {}

  /** With the default trust domain and root namespace, except for {@code trustDomain}. */
  public static ReplayReport replay(ClusterModel proposed, TrafficModel traffic, String trustDomain,
      Consumer<String> warn) {
    return replay(proposed, traffic, new AuthorizationPolicyEvaluator.Options(
        new TrustDomains(trustDomain, List.of()), AuthorizationPolicyEvaluator.ROOT_NAMESPACE), warn);
  }

  public static ReplayReport replay(ClusterModel proposed, TrafficModel traffic,
      AuthorizationPolicyEvaluator.Options options, Consumer<String> warn) {
    Connectivity connectivity = ConnectivityAnalyzer.analyze(proposed);
    AuthorizationPolicyEvaluator authz = AuthorizationPolicyEvaluator.of(proposed, options);
    authz.diagnostics().forEach(d -> warn.accept(d.toString()));
    LayeredDecider decider = LayeredDecider.of(proposed, connectivity, authz);
    Map<String, Workload> byId = new HashMap<>();
    proposed.workloads().forEach(w -> byId.put(w.id(), w));
    Map<String, Acc> groups = new LinkedHashMap<>();
    long flows = 0;
    long denied = 0;
    long undecided = 0;
    // A connection seen both as L4 packets and as HTTP requests is judged by its requests at L7.
    Predicate<ObservedEdge> judgedAtL7 = traffic.alsoSeenAsHttp();
    for (ObservedEdge e : traffic.edges()) {
      flows += e.stats().count();
      List<Peer> sources = peers(e.key().source(), byId, connectivity, true);
      List<Peer> destinations = peers(e.key().destination(), byId, connectivity, false);
      if (sources.isEmpty() || destinations.isEmpty()
          || (!(sources.get(0) instanceof Peer.WorkloadPeer) && !(destinations.get(0) instanceof Peer.WorkloadPeer))) {
        continue;
      }
      boolean l4Shadow = judgedAtL7.test(e);
      String ip = e.key().source().address().filter(IpRange::isSingleAddress)
          .map(IpRange::firstAddress).orElse(null);
      RequestAttributes attrs = new RequestAttributes(null, e.key().method(), e.key().pathTemplate(), null, Map.of(),
          false, ip, null, null);
      // An address-less peer stands for several ranges: its flows are denied only if none allows them.
      LayeredDecision best = null;
      for (Peer s : sources) {
        for (Peer d : destinations) {
          LayeredDecision x = decider.decide(s, d, e.key().protocol(), e.key().port(), attrs, true);
          if (l4Shadow) {
            x = LayeredDecision.of(x.layers().stream().filter(l -> l.layer() != io.meshwarden.decision.Layer.ISTIO_AUTHZ)
                .toList());
          }
          if (best == null || x.verdict().moreFavourableThan(best.verdict())) {
            best = x;
          }
        }
      }
      if (best == null || best.verdict() == Verdict.ALLOWED) {
        continue;
      }
      LayerDecision by = best.deciding();
      String dst = destinations.get(0).displayName() + " " + e.key().protocol() + " " + e.key().port();
      add(groups, dst, best.verdict(), by, best.dependsOn(), e);
      if (best.verdict() == Verdict.DENIED) {
        denied += e.stats().count();
      } else {
        undecided += e.stats().count();
      }
    }
    List<ReplayReport.Group> out = new ArrayList<>();
    for (Acc a : groups.values()) {
      out.add(new ReplayReport.Group(a.destination, a.by.layer().title(), a.verdict, a.by.decidedBy(), a.by.origin(),
          a.flows, List.copyOf(a.sources), a.samples, List.copyOf(a.dependsOn)));
    }
    out.sort(Comparator.comparing(ReplayReport.Group::verdict).thenComparing(
        Comparator.comparingLong(ReplayReport.Group::flows).reversed()).thenComparing(ReplayReport.Group::destination));
    return new ReplayReport(traffic.edges().size(), flows, denied, undecided, out);
  }


  private static final class Acc {
    final String destination;
    final Verdict verdict;
    final LayerDecision by;
    final TreeSet<String> dependsOn = new TreeSet<>();
    long flows;
    final TreeSet<String> sources = new TreeSet<>();
    final List<String> samples = new ArrayList<>();

    Acc(String destination, Verdict verdict, LayerDecision by) {
      this.destination = destination;
      this.verdict = verdict;
      this.by = by;
    }
  }

  private static void add(Map<String, Acc> groups, String destination, Verdict verdict, LayerDecision by,
      List<String> dependsOn, ObservedEdge e) {
    Acc a = groups.computeIfAbsent(destination + "|" + verdict + "|" + by.layer() + "|" + by.decidedBy(),
        k -> new Acc(destination, verdict, by));
    a.flows += e.stats().count();
    a.dependsOn.addAll(dependsOn);
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
    return c.externalPeers(ref.address().orElse(null), ref.dnsName().orElse(null), source);
  }
}
