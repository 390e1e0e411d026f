package io.meshwarden.synthesis;

import io.meshwarden.exposure.EntryPoint;
import io.meshwarden.exposure.EntryPointScanner;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Container;
import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Service;
import io.meshwarden.model.ServicePort;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.Coverage;
import io.meshwarden.traffic.FlowSource;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Least-privilege policy from observed traffic: for every workload, the sources, ports and (for
 * HTTP) the requests that were seen, each rule carrying its provenance. Kubelet probes, DNS and
 * declared entry points are kept working; labels and service accounts are reused, never invented.
 * Pure and deterministic: the same model and traffic give the same {@link PolicySet}.
 */
public final class PolicySynthesizer {
  /**
   * @param minFlows edges seen fewer times are left out (noise, scans)
   * @param since only edges seen within this window before the last observation; null for all
   * @param maxRulesPerWorkload above this, HTTP paths merge into prefixes, then into port-only rules
   * @param includeUnobserved also lock down workloads with no observed flow (deny all but probes,
   *     DNS and entry points), as before evidence was required
   */
  public record Options(String trustDomain, long minFlows, Duration since, int maxRulesPerWorkload, boolean keepProbes,
      boolean keepDns, boolean keepEntryPoints, boolean includeUnobserved) {
    public Options {
      Objects.requireNonNull(trustDomain, "trustDomain");
      if (minFlows < 1 || maxRulesPerWorkload < 1) {
        throw new IllegalArgumentException("minFlows and maxRulesPerWorkload must be at least 1");
      }
    }

    public Options(String trustDomain, long minFlows, Duration since, int maxRulesPerWorkload, boolean keepProbes,
        boolean keepDns, boolean keepEntryPoints) {
      this(trustDomain, minFlows, since, maxRulesPerWorkload, keepProbes, keepDns, keepEntryPoints, false);
    }

    public static Options defaults() {
      return new Options("cluster.local", 1, null, 50, true, true, true, false);
    }

    public Options withIncludeUnobserved(boolean include) {
      return new Options(trustDomain, minFlows, since, maxRulesPerWorkload, keepProbes, keepDns, keepEntryPoints,
          include);
    }
  }

  /**
   * The policy set and what could not be expressed or was left out, for the reviewer; or, when the
   * traffic is no basis for policy, the refusal and an empty set (which restricts nothing).
   */
  public record Result(PolicySet policies, List<String> notes, Optional<NoEvidence> refusal) {
    public Result {
      Objects.requireNonNull(policies, "policies");
      notes = List.copyOf(notes);
      Objects.requireNonNull(refusal, "refusal");
    }

    public Result(PolicySet policies, List<String> notes) {
      this(policies, notes, Optional.empty());
    }
  }

  /** Windows shorter than this miss daily traffic (batch jobs, reports); the proposal warns. */
  static final Duration SHORT_WINDOW = Duration.ofHours(24);

  private PolicySynthesizer() {}

  public static Result synthesize(ClusterModel model, TrafficModel traffic, Options o) {
    Optional<NoEvidence> refused = EvidenceCheck.check(traffic, model);
    if (refused.isPresent()) {
      return new Result(new PolicySet(o.trustDomain(), List.of()), List.of(), refused);
    }
    List<String> notes = new ArrayList<>();
    Map<String, Workload> byId = new HashMap<>();
    model.workloads().forEach(w -> byId.put(w.id(), w));
    List<ObservedEdge> edges = select(traffic, o, notes);
    Coverage coverage = Coverage.of(edges);
    Map<String, List<ObservedEdge>> inbound = new HashMap<>();
    Map<String, List<ObservedEdge>> outbound = new HashMap<>();
    for (ObservedEdge e : edges) {
      if (e.key().destination().isWorkload()) {
        inbound.computeIfAbsent(e.key().destination().id(), k -> new ArrayList<>()).add(e);
      }
      if (e.key().source().isWorkload()) {
        outbound.computeIfAbsent(e.key().source().id(), k -> new ArrayList<>()).add(e);
      }
    }
    Map<String, List<EntryPoint>> entryPoints = new HashMap<>();
    // An entry point names its Service as "Service ns/name": looked up, not searched for among all.
    Map<String, List<Service>> servicesByName = new HashMap<>();
    if (o.keepEntryPoints()) {
      EntryPointScanner.scan(model).forEach(e -> entryPoints.computeIfAbsent(e.workload().id(), k -> new ArrayList<>()).add(e));
      model.services().forEach(s -> servicesByName.computeIfAbsent("Service " + s.namespace() + "/" + s.name(),
          k -> new ArrayList<>()).add(s));
    }
    // Decide first who gets a policy: a selector may not reach a workload that was left without one.
    Map<String, Scope[]> scopes = new LinkedHashMap<>();
    Map<String, String> unobserved = new TreeMap<>();
    Map<String, long[]> raw = null;
    for (Workload w : model.workloads()) {
      if (!coverage.hasEvidence(w.id())) {
        if (o.includeUnobserved()) {
          String why = "no observed flow; restricted because of --include-unobserved";
          scopes.put(w.id(), new Scope[] {Scope.all(why), Scope.all(why)});
        } else {
          raw = raw == null ? rawFlows(traffic) : raw;
          unobserved.put(w.id(), noFlowReason(w, raw.get(w.id()), coverage, o));
        }
        continue;
      }
      Scope in = Scope.of(coverage.ingress(w.id()), "ingress", coverage.sources());
      Scope out = Scope.of(coverage.egress(w.id()), "egress", coverage.sources());
      if (in.extent() == Scope.Extent.OPEN && out.extent() == Scope.Extent.OPEN) {
        unobserved.put(w.id(), coverage.flowsIn(w.id()) + " flow(s) in, " + coverage.flowsOut(w.id())
            + " out, but no source in use watched its own ingress or egress (" + in.why().replace("not restricted: ", "")
            + "; " + out.why().replace("not restricted: ", "") + ")");
        continue;
      }
      scopes.put(w.id(), new Scope[] {in, out});
    }
    excludeOverlaps(model, scopes, unobserved);
    // One Peer per endpoint: building one copies the workload's labels, and busy ports see thousands.
    Map<PeerRef, Optional<Peer>> peers = new HashMap<>();
    Map<String, List<Workload>> byNamespace = new HashMap<>();
    model.workloads().forEach(w -> byNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w));
    List<WorkloadPolicy> out = new ArrayList<>();
    for (Workload w : model.workloads()) {
      Scope[] scope = scopes.get(w.id());
      if (scope == null) {
        continue;
      }
      Scope in = scope[0];
      Scope eg = scope[1];
      List<PortRule> ingress = new ArrayList<>(portRules(within(inbound.getOrDefault(w.id(), List.of()), in), true,
          byId, o, notes, peers));
      ingress.addAll(entryPointRules(servicesByName, w, entryPoints.getOrDefault(w.id(), List.of()),
          ipv6ClientsSeen(inbound.getOrDefault(w.id(), List.of()))).stream()
          .filter(r -> in.restricts(r.protocol(), r.port())).toList());
      if (o.keepProbes()) {
        probePorts(w).stream().filter(p -> in.restricts(Protocol.TCP, p)).forEach(p -> ingress.add(new PortRule(
            Protocol.TCP, p, portName(w, p), List.of(Peer.KUBELET), List.of(),
            Provenance.system("kubelet liveness/readiness/startup probes"))));
      }
      List<PortRule> egress = new ArrayList<>(portRules(within(outbound.getOrDefault(w.id(), List.of()), eg), false,
          byId, o, notes, peers));
      if (o.keepDns() && eg.extent() != Scope.Extent.OPEN) {
        egress.add(new PortRule(Protocol.UDP, 53, null, List.of(Peer.KUBE_DNS), List.of(), Provenance.system("DNS")));
        egress.add(new PortRule(Protocol.TCP, 53, null, List.of(Peer.KUBE_DNS), List.of(), Provenance.system("DNS")));
      }
      List<PortRule> budgeted = Budget.fit(merge(ingress), o.maxRulesPerWorkload(), w, notes,
          PolicySynthesizer::merge);
      checkSelector(byNamespace.getOrDefault(w.namespace(), List.of()), w, notes);
      out.add(new WorkloadPolicy(w.namespace(), w.id(), w.name(), selectorLabels(w), w.serviceAccount(), budgeted,
          merge(egress), in, eg, coverage.flowsIn(w.id()), coverage.flowsOut(w.id())));
    }
    return new Result(new PolicySet(o.trustDomain(), out, evidence(coverage, edges, unobserved)), notes);
  }

  /** The edges on ports the scope restricts; the rest would only repeat what stays open anyway. */
  private static List<ObservedEdge> within(List<ObservedEdge> edges, Scope scope) {
    if (scope.extent() == Scope.Extent.ALL) {
      return edges;
    }
    return edges.stream().filter(e -> scope.restricts(e.key().protocol(), e.key().port())).toList();
  }

  /**
   * A policy selects by pod labels; when those also select a workload left without a policy, the
   * policy would restrict it too. Such workloads go without a policy as well, until nothing changes.
   */
  private static void excludeOverlaps(ClusterModel model, Map<String, Scope[]> scopes, Map<String, String> unobserved) {
    if (unobserved.isEmpty()) {
      return;
    }
    Map<String, List<Workload>> byNamespace = new HashMap<>();
    model.workloads().forEach(w -> byNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w));
    boolean changed = true;
    while (changed) {
      changed = false;
      for (List<Workload> namespace : byNamespace.values()) {
        List<Workload> without = namespace.stream().filter(w -> unobserved.containsKey(w.id())).toList();
        if (without.isEmpty()) {
          continue;
        }
        for (Workload w : namespace) {
          if (!scopes.containsKey(w.id())) {
            continue;
          }
          Map<String, String> labels = selectorLabels(w);
          for (Workload other : without) {
            if (other.podLabels().entrySet().containsAll(labels.entrySet())) {
              scopes.remove(w.id());
              unobserved.put(w.id(), "its pod labels " + labels + " also select " + other.id()
                  + ", which has no policy for lack of evidence; label them apart to restrict it");
              changed = true;
              break;
            }
          }
        }
      }
    }
  }

  /** Flows per workload before --min-flows and --since, to say why a workload has no evidence. */
  private static Map<String, long[]> rawFlows(TrafficModel traffic) {
    Map<String, long[]> out = new HashMap<>();
    for (ObservedEdge e : traffic.edges()) {
      if (e.key().source().isWorkload()) {
        out.computeIfAbsent(e.key().source().id(), k -> new long[1])[0] += e.stats().count();
      }
      if (e.key().destination().isWorkload()) {
        out.computeIfAbsent(e.key().destination().id(), k -> new long[1])[0] += e.stats().count();
      }
    }
    return out;
  }

  private static String noFlowReason(Workload w, long[] raw, Coverage coverage, Options o) {
    if (raw != null) {
      return raw[0] + " flow(s) in or out, all on edges left out by --min-flows " + o.minFlows()
          + (o.since() == null ? "" : " or --since " + o.since());
    }
    return "no flow in or out observed" + (coverage.firstSeen() == null ? ""
        : " between " + coverage.firstSeen() + " and " + coverage.lastSeen())
        + "; its ingress and egress stay as they are (--include-unobserved restricts it anyway)";
  }

  private static Evidence evidence(Coverage coverage, List<ObservedEdge> edges, Map<String, String> unobserved) {
    long flows = 0;
    for (ObservedEdge e : edges) {
      flows += e.stats().count();
    }
    List<String> sources = new ArrayList<>();
    List<String> blind = new ArrayList<>();
    for (FlowSource s : coverage.sources()) {
      sources.add(s.label());
      blind.add(s.label() + " cannot see: " + String.join("; ", s.blindSpots()));
    }
    List<Diagnostic> warnings = new ArrayList<>();
    if (coverage.firstSeen() != null) {
      Duration window = Duration.between(coverage.firstSeen(), coverage.lastSeen());
      if (window.compareTo(SHORT_WINDOW) < 0) {
        warnings.add(Diagnostic.warning(Evidence.SHORT_WINDOW, "the observation window is only " + human(window) + " ("
            + coverage.firstSeen() + " .. " + coverage.lastSeen() + "), shorter than 24 h: traffic that happens daily"
            + " or more rarely (batch jobs, reports, failover) is likely missing from this proposal"));
      }
    }
    List<Evidence.Unobserved> none = new ArrayList<>();
    unobserved.forEach((id, why) -> none.add(new Evidence.Unobserved(id, why)));
    return new Evidence(coverage.firstSeen(), coverage.lastSeen(), flows, sources, blind, none, warnings);
  }

  private static String human(Duration d) {
    long minutes = d.toMinutes();
    return minutes >= 60 ? minutes / 60 + " h " + minutes % 60 + " min" : minutes + " min " + d.toSecondsPart() + " s";
  }

  private static List<ObservedEdge> select(TrafficModel traffic, Options o, List<String> notes) {
    Instant end = traffic.edges().stream().map(e -> e.stats().lastSeen()).max(Instant::compareTo).orElse(Instant.EPOCH);
    Instant cutoff = o.since() == null ? Instant.MIN : end.minus(o.since());
    List<ObservedEdge> kept = new ArrayList<>();
    long rare = 0;
    long stale = 0;
    for (ObservedEdge e : traffic.edges()) {
      if (e.stats().count() < o.minFlows()) {
        rare++;
      } else if (e.stats().lastSeen().isBefore(cutoff)) {
        stale++;
      } else {
        kept.add(e);
      }
    }
    if (rare > 0) {
      notes.add(rare + " observed edge(s) seen fewer than " + o.minFlows() + " times were left out (--min-flows)");
    }
    if (stale > 0) {
      notes.add(stale + " observed edge(s) last seen before " + cutoff + " were left out (--since)");
    }
    return kept;
  }

  /** Rules grouped by port; sources with the same HTTP requests on a port share a rule. */
  private static List<PortRule> portRules(List<ObservedEdge> edges, boolean ingress, Map<String, Workload> byId,
      Options o, List<String> notes, Map<PeerRef, Optional<Peer>> peers) {
    Map<Integer, Map<Peer, List<ObservedEdge>>> byPort = new TreeMap<>();
    Map<Integer, Workload> localOf = new HashMap<>();
    for (ObservedEdge e : edges) {
      PeerRef other = ingress ? e.key().source() : e.key().destination();
      Peer peer = peers.computeIfAbsent(other, k -> Optional.ofNullable(peer(k, byId, o.trustDomain()))).orElse(null);
      if (peer == null) {
        notes.add("cannot express " + (ingress ? "source " : "destination ") + other + " of " + describe(e)
            + " as a policy peer (a DNS name has no fixed address); left out — use an egress gateway or an Istio"
            + " ServiceEntry");
        continue;
      }
      int portKey = e.key().protocol().ordinal() << 16 | e.key().port();
      byPort.computeIfAbsent(portKey, k -> new TreeMap<>()).computeIfAbsent(peer, k -> new ArrayList<>()).add(e);
      Workload local = byId.get((ingress ? e.key().destination() : e.key().source()).id());
      localOf.put(portKey, ingress ? local : byId.get(e.key().destination().id()));
    }
    List<PortRule> out = new ArrayList<>();
    for (Map.Entry<Integer, Map<Peer, List<ObservedEdge>>> port : byPort.entrySet()) {
      Map<List<HttpMatch>, List<Peer>> byRequests = new LinkedHashMap<>();
      Map<List<HttpMatch>, List<ObservedEdge>> evidence = new LinkedHashMap<>();
      for (Map.Entry<Peer, List<ObservedEdge>> p : port.getValue().entrySet()) {
        // Egress is enforced at L4 (NetworkPolicy); requests are policed where they are received.
        List<HttpMatch> http = ingress ? http(p.getValue()) : List.of();
        byRequests.computeIfAbsent(http, k -> new ArrayList<>()).add(p.getKey());
        evidence.computeIfAbsent(http, k -> new ArrayList<>()).addAll(p.getValue());
      }
      Protocol protocol = Protocol.values()[port.getKey() >>> 16];
      int number = port.getKey() & 0xFFFF;
      Workload portOwner = localOf.get(port.getKey());
      for (Map.Entry<List<HttpMatch>, List<Peer>> g : byRequests.entrySet()) {
        out.add(new PortRule(protocol, number, portOwner == null ? null : portName(portOwner, number),
            g.getValue().stream().sorted().toList(), g.getKey(), provenance(evidence.get(g.getKey()))));
      }
    }
    return out;
  }

  /** The requests seen, or none (L4 only) if any flow on the port was not HTTP. */
  private static List<HttpMatch> http(List<ObservedEdge> edges) {
    TreeSet<HttpMatch> out = new TreeSet<>();
    for (ObservedEdge e : edges) {
      if (e.key().method() == null || e.key().pathTemplate() == null) {
        return List.of();
      }
      out.add(Budget.match(e.key().method(), e.key().pathTemplate()));
    }
    return List.copyOf(out);
  }

  private static Peer peer(PeerRef ref, Map<String, Workload> byId, String trustDomain) {
    return switch (ref.type()) {
      case WORKLOAD -> {
        Workload w = byId.get(ref.id());
        yield w == null ? null : Peer.workload(w.id(), w.namespace(), selectorLabels(w),
            trustDomain + "/ns/" + w.namespace() + "/sa/" + w.serviceAccount());
      }
      // The internet in the family the traffic used: ::/0 only where it was IPv6.
      case INTERNET -> Peer.cidr(ref.equals(PeerRef.INTERNET_IPV6) ? "::/0" : "0.0.0.0/0");
      case EXTERNAL -> {
        String what = ref.id().substring("external:".length());
        if (what.equals("node")) {
          yield Peer.KUBELET;
        }
        // An address the traffic came from or went to, of either family: a /32 or /128 as observed.
        yield ref.address().map(r -> Peer.cidr(r.toCidr())).orElse(null);
      }
    };
  }

  /**
   * Whether clients outside the cluster were seen reaching the workload over IPv6 (an IPv6
   * address, or the IPv6 internet): then its entry points stay open to {@code ::/0} as well.
   */
  private static boolean ipv6ClientsSeen(List<ObservedEdge> inbound) {
    for (ObservedEdge e : inbound) {
      PeerRef src = e.key().source();
      if (src.equals(PeerRef.INTERNET_IPV6) || src.address().map(io.meshwarden.model.IpRange::isIpv6).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Entry points (LoadBalancer, NodePort) stay reachable from any address: {@code 0.0.0.0/0}, and
   * {@code ::/0} too when IPv6 clients were seen (evidence before policy: no IPv6 opening unseen).
   */
  private static List<PortRule> entryPointRules(Map<String, List<Service>> servicesByName, Workload w,
      List<EntryPoint> entries, boolean ipv6) {
    List<Peer> anyAddress = ipv6 ? List.of(Peer.cidr("0.0.0.0/0"), Peer.cidr("::/0")) : List.of(Peer.cidr("0.0.0.0/0"));
    List<PortRule> out = new ArrayList<>();
    Set<String> done = new TreeSet<>();
    for (EntryPoint e : entries) {
      if (e.kind() != EntryPoint.Kind.LoadBalancer && e.kind() != EntryPoint.Kind.NodePort) {
        continue;
      }
      for (Service s : servicesByName.getOrDefault(e.via(), List.of())) {
        for (ServicePort sp : s.ports()) {
          int port = sp.targetPort().isNamed() ? w.resolveNamedPort(sp.targetPort().name(), sp.protocol())
              : sp.targetPort().number();
          if (port > 0 && done.add(sp.protocol() + "/" + port)) {
            out.add(new PortRule(sp.protocol(), port, portName(w, port), anyAddress, List.of(),
                Provenance.system(e.kind() + " " + e.via() + " (" + e.origin() + ") must stay reachable"
                    + (ipv6 ? ", over IPv6 too (IPv6 clients were seen)" : ""))));
          }
        }
      }
    }
    return out;
  }

  private static Set<Integer> probePorts(Workload w) {
    Set<Integer> out = new TreeSet<>();
    for (Container c : w.containers()) {
      out.addAll(c.probePorts());
    }
    return out;
  }

  private static String portName(Workload w, int port) {
    for (Container c : w.containers()) {
      for (var p : c.ports()) {
        if (p.port() == port && p.name() != null) {
          return p.name();
        }
      }
    }
    return null;
  }

  /** What makes two rules one: the same port and the same requests. */
  private record RuleKey(Protocol protocol, int port, List<HttpMatch> http) implements Comparable<RuleKey> {
    @Override
    public int compareTo(RuleKey o) {
      int c = protocol.compareTo(o.protocol);
      if (c != 0 || (c = Integer.compare(port, o.port)) != 0) {
        return c;
      }
      for (int i = 0; i < Math.min(http.size(), o.http.size()); i++) {
        if ((c = http.get(i).compareTo(o.http.get(i))) != 0) {
          return c;
        }
      }
      return Integer.compare(http.size(), o.http.size());
    }
  }

  /** Rules on the same port with the same requests merge their peers; output is sorted. */
  private static List<PortRule> merge(List<PortRule> rules) {
    Map<RuleKey, List<PortRule>> groups = new HashMap<>();
    for (PortRule r : rules) {
      groups.computeIfAbsent(new RuleKey(r.protocol(), r.port(), r.http()), k -> new ArrayList<>()).add(r);
    }
    List<RuleKey> keys = new ArrayList<>(groups.keySet());
    keys.sort(null);
    List<PortRule> out = new ArrayList<>(keys.size());
    for (RuleKey k : keys) {
      List<PortRule> g = groups.get(k);
      PortRule first = g.get(0);
      if (g.size() == 1) {
        out.add(first);
        continue;
      }
      TreeSet<Peer> peers = new TreeSet<>();
      List<Provenance> provenance = new ArrayList<>();
      for (PortRule r : g) {
        peers.addAll(r.peers());
        provenance.add(r.provenance());
      }
      out.add(new PortRule(first.protocol(), first.port(), first.portName(), List.copyOf(peers), first.http(),
          Budget.combine(provenance)));
    }
    return out;
  }

  /** The workload's own labels, without the per-revision hash Kubernetes adds. */
  static Map<String, String> selectorLabels(Workload w) {
    Map<String, String> out = new TreeMap<>(w.podLabels());
    out.remove("pod-template-hash");
    out.remove("controller-revision-hash");
    out.remove("pod-template-generation");
    return out;
  }

  private static void checkSelector(List<Workload> sameNamespace, Workload w, List<String> notes) {
    Map<String, String> labels = selectorLabels(w);
    if (labels.isEmpty()) {
      notes.add(w.id() + " has no labels: its policy would select every pod of namespace " + w.namespace()
          + "; label it before applying");
      return;
    }
    for (Workload other : sameNamespace) {
      if (other != w
          && other.podLabels().entrySet().containsAll(labels.entrySet())) {
        notes.add("the labels of " + w.id() + " " + labels + " also select " + other.id()
            + "; its policy applies to both");
      }
    }
  }

  /** Edges listed per rule in provenance; the rest are counted, so a busy port stays readable. */
  static final int PROVENANCE_EDGES = 10;

  private static Provenance provenance(List<ObservedEdge> edges) {
    long flows = 0;
    Instant first = null;
    Instant last = null;
    // Traffic models list edges sorted, and grouping keeps that order, so no sort is needed here.
    List<ObservedEdge> sorted = edges;
    List<String> lines = new ArrayList<>();
    for (ObservedEdge e : sorted) {
      flows += e.stats().count();
      first = first == null || e.stats().firstSeen().isBefore(first) ? e.stats().firstSeen() : first;
      last = last == null || e.stats().lastSeen().isAfter(last) ? e.stats().lastSeen() : last;
      if (lines.size() < PROVENANCE_EDGES) {
        lines.add(describe(e) + " (" + e.stats().count() + " flows)");
      }
    }
    if (sorted.size() > PROVENANCE_EDGES) {
      lines.add("... and " + (sorted.size() - PROVENANCE_EDGES) + " more edges");
    }
    return new Provenance("observed", lines, flows, first, last);
  }

  static String describe(ObservedEdge e) {
    return e.key().source() + " -> " + e.key().destination() + " " + e.key().protocol() + " " + e.key().port()
        + (e.key().method() == null ? "" : " " + e.key().method() + " " + e.key().pathTemplate());
  }
}
