package io.meshwarden.connectivity;

import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What policy allows between every pair of peers of one model. Computed per peer class and
 * expanded to workloads on demand, so a 10,000-workload cluster never holds all pairs at once.
 *
 * <p>Thread-safe: built once, then only read; the warnings evaluation raises go to a concurrent
 * set, and the one lazily kept result is published through a volatile field. Workloads are found
 * by identity and else by id, so a workload of a later snapshot with the same spec (say, with
 * current pod IPs filled in) is answered too.
 */
public final class Connectivity {
  /** Receives allowed connections; see {@link #forEachAllowed}. */
  @FunctionalInterface
  public interface Sink {
    void accept(Peer src, Peer dst, ConnectionSet allowed);
  }

  /** Receives allowed connections with the network they run on; see {@link #forEachAllowed(NetworkSink)}. */
  @FunctionalInterface
  public interface NetworkSink {
    void accept(Network network, Peer src, Peer dst, ConnectionSet allowed);
  }

  /** A secondary network: the classes attached to it and the MultiNetworkPolicies that decide it. */
  record SecondaryNetwork(Network network, int[] attached, TieredPolicyEvaluator evaluator) {}

  private final List<PeerClass> classes;
  private final Map<Workload, PeerClass> classOf;
  private final int ingressControllerClass;
  private final TieredPolicyEvaluator evaluator;
  private final List<IpRange> sourceRanges;
  private final List<IpRange> destinationRanges;
  private final Map<Workload, ConnectionSet> ingressPorts;
  private final Set<Diagnostic> warnings;
  private final Map<String, PeerClass> classById;
  private final Map<String, ConnectionSet> ingressPortsById;
  /** Computed on first use; idempotent, so two threads racing compute the same value. */
  private volatile List<RuleReach> ruleReach;
  /** Per class, whether no policy selects it for ingress; computed on first use, idempotent. */
  private volatile OpenIngress openIngress;
  /** The classes with workloads (not the ingress controller's, nor representatives). */
  private final BitSet populated = new BitSet();
  /** The workloads of all classes. */
  private final long workloadTotal;
  private final Map<Peer.RepresentativePeer, PeerClass> representatives;
  /** Per class, the primary network its pods are on; null without multi-network analysis. */
  private final Network[] primaryOf;
  private final List<SecondaryNetwork> secondaries;

  Connectivity(List<PeerClass> classes, Map<Workload, PeerClass> classOf, int ingressControllerClass,
      TieredPolicyEvaluator evaluator, List<IpRange> sourceRanges, List<IpRange> destinationRanges,
      Map<Workload, ConnectionSet> ingressPorts, Set<Diagnostic> warnings,
      Map<Peer.RepresentativePeer, PeerClass> representatives, Network[] primaryOf,
      List<SecondaryNetwork> secondaries) {
    this.representatives = representatives;
    this.primaryOf = primaryOf;
    this.secondaries = secondaries;
    this.classes = classes;
    this.classOf = classOf;
    Map<String, PeerClass> byId = new java.util.HashMap<>();
    classOf.forEach((w, c) -> byId.put(w.id(), c));
    this.classById = byId;
    Map<String, ConnectionSet> portsById = new java.util.HashMap<>();
    ingressPorts.forEach((w, c) -> portsById.put(w.id(), c));
    this.ingressPortsById = portsById;
    this.ingressControllerClass = ingressControllerClass;
    this.evaluator = evaluator;
    this.sourceRanges = sourceRanges;
    this.destinationRanges = destinationRanges;
    this.ingressPorts = ingressPorts;
    this.warnings = warnings;
    long total = 0;
    for (PeerClass c : classes) {
      if (!c.workloads.isEmpty()) {
        populated.set(c.index);
        total += c.workloads.size();
      }
    }
    this.workloadTotal = total;
  }

  /**
   * Per class, whether no policy of any tier selects it for ingress, the populated classes that
   * are so open (a source whose egress is open reaches all of those without evaluating them), the
   * others, and the row of such a source before the others are evaluated.
   */
  private record OpenIngress(boolean[] open, BitSet populatedOpen, BitSet populatedClosed, ConnectionSet[] row) {}

  /** The number of peer classes the workloads fell into. */
  public int classCount() {
    return classes.size() - 1;
  }

  /** External ranges as sources: the partition of IPv4 (and IPv6, once the input uses it) induced by ingress ipBlocks. */
  public List<IpRange> sourceRanges() {
    return sourceRanges;
  }

  /** External ranges as destinations: the partition induced by egress ipBlocks and admin networks. */
  public List<IpRange> destinationRanges() {
    return destinationRanges;
  }

  /** Diagnostics raised while evaluating (unresolvable named ports and the like), sorted by their text. */
  public List<Diagnostic> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * The representative peers the model's policy rules call for, in the order the policies name
   * them; empty unless the analysis was run with {@link ConnectivityAnalyzer#analyze(ClusterModel,
   * boolean) representatives}.
   */
  public List<Peer.RepresentativePeer> representatives() {
    return List.copyOf(representatives.keySet());
  }

  /**
   * What the workload's policies allow to (egress) or from (ingress) any pod of any namespace,
   * including pods that do not exist yet. Port names that no container resolves stay names.
   */
  public ConnectionSet entireCluster(Workload w, boolean ingress) {
    return evaluator.clusterWide(cls(w), ingress);
  }

  /**
   * What policy allows from {@code src} to {@code dst}; IP-to-IP is not evaluated (NONE), nor are
   * representatives with anything but workloads.
   */
  public ConnectionSet allowed(Peer src, Peer dst) {
    if (src instanceof Peer.WorkloadPeer s && dst instanceof Peer.RepresentativePeer d) {
      return evaluator.between(cls(s.workload()), representative(d));
    }
    if (src instanceof Peer.RepresentativePeer s && dst instanceof Peer.WorkloadPeer d) {
      return evaluator.between(representative(s), cls(d.workload()));
    }
    if (src instanceof Peer.WorkloadPeer s && dst instanceof Peer.WorkloadPeer d) {
      int sc = cls(s.workload());
      int dc = cls(d.workload());
      return isolated(sc, dc) ? ConnectionSet.NONE : evaluator.between(sc, dc);
    }
    if (src instanceof Peer.ExternalPeer s && dst instanceof Peer.WorkloadPeer d) {
      return evaluator.fromIp(s.range(), cls(d.workload()));
    }
    if (src instanceof Peer.WorkloadPeer s && dst instanceof Peer.ExternalPeer d) {
      return evaluator.toIp(cls(s.workload()), d.range(), d.name());
    }
    if (src instanceof Peer.IngressControllerPeer && dst instanceof Peer.WorkloadPeer d) {
      ConnectionSet ports = ingressPorts.get(d.workload());
      if (ports == null) {
        ports = ingressPortsById.getOrDefault(d.workload().id(), ConnectionSet.NONE);
      }
      return ports.isEmpty() ? ports : ports.intersect(evaluator.between(ingressControllerClass, cls(d.workload())));
    }
    return ConnectionSet.NONE;
  }

  /** Whether multi-network analysis ran: connections may then be on several networks. */
  public boolean multiNetwork() {
    return primaryOf != null;
  }

  /**
   * Every workload's networks, sorted by display name; empty without multi-network analysis.
   */
  public List<WorkloadNetworks> workloadNetworks() {
    if (primaryOf == null) {
      return List.of();
    }
    List<WorkloadNetworks> out = new ArrayList<>();
    for (PeerClass c : classes) {
      for (Workload w : c.workloads) {
        List<Network> secondary = w.secondaryNetworks().stream()
            .map(r -> new Network(Network.Kind.SECONDARY_NAD, r.name())).toList();
        out.add(new WorkloadNetworks(w, primaryOf[c.index], secondary));
      }
    }
    out.sort(Comparator.comparing(n -> new Peer.WorkloadPeer(n.workload()).displayName()));
    return out;
  }

  /** Pods on different primary networks cannot reach each other on their default interface. */
  private boolean isolated(int src, int dst) {
    return primaryOf != null && !primaryOf[src].equals(primaryOf[dst]);
  }

  private Network primary(int cls) {
    return primaryOf == null ? Network.POD : primaryOf[cls];
  }

  /**
   * Why a connection on one port is allowed or denied, side by side: the source's egress and the
   * destination's ingress, each naming the policy and rule (file:line) that decided it. External
   * peers are ranges; only the workload sides are evaluated.
   */
  public Explanation explain(Peer src, Peer dst, io.meshwarden.model.Protocol protocol, int port) {
    Explainer x = new Explainer(evaluator.index());
    Explanation.Side egress;
    Explanation.Side ingress;
    if (src instanceof Peer.WorkloadPeer s) {
      egress = x.side(false, cls(s.workload()), src.displayName(),
          dst instanceof Peer.WorkloadPeer d ? cls(d.workload()) : -1,
          dst instanceof Peer.ExternalPeer e ? e.range() : null, dst instanceof Peer.ExternalPeer e ? e.name() : null,
          protocol, port);
    } else {
      egress = new Explanation.Side(src.displayName(), true, List.of("outside the cluster: no policy applies"));
    }
    if (dst instanceof Peer.WorkloadPeer d) {
      ingress = x.side(true, cls(d.workload()), dst.displayName(),
          src instanceof Peer.WorkloadPeer s ? cls(s.workload()) : -1,
          src instanceof Peer.ExternalPeer e ? e.range() : null, null, protocol, port);
    } else {
      ingress = new Explanation.Side(dst.displayName(), true, List.of("outside the cluster: no policy applies"));
    }
    return new Explanation(egress.allowed() && ingress.allowed(), egress, ingress);
  }

  /** What each NetworkPolicy rule opens, in policy order, for findings about unused or broad rules. */
  public List<RuleReach> networkPolicyRules() {
    // Expanding every rule's classes to workloads is the costly part; several detectors ask.
    List<RuleReach> r = ruleReach;
    if (r == null) {
      r = List.copyOf(RuleReach.of(evaluator.index(), this::classHolding));
      ruleReach = r;
    }
    return r;
  }

  /** Whether any policy selects the workload for ingress (or egress). */
  public boolean isProtected(Workload w, boolean ingress) {
    return evaluator.isProtected(cls(w), ingress);
  }

  private int representative(Peer.RepresentativePeer r) {
    PeerClass c = representatives.get(r);
    if (c == null) {
      throw new IllegalArgumentException("not a representative of this analysis: " + r.displayName());
    }
    return c.index;
  }

  /**
   * The class whose workloads include {@code w} (equal, not only the same id), or null: what a scan
   * of every class would find, by lookup.
   */
  private PeerClass classHolding(Workload w) {
    PeerClass c = classOf.get(w);
    if (c == null) {
      c = classById.get(w.id());
      if (c != null && !c.workloads.contains(w)) {
        c = null;
      }
    }
    return c;
  }

  private int cls(Workload w) {
    PeerClass c = classOf.get(w);
    if (c == null) {
      c = classById.get(w.id());
    }
    if (c == null) {
      throw new IllegalArgumentException("workload not in this model: " + w.id());
    }
    return c.index;
  }

  /**
   * Calls {@code sink} for every allowed connection with a non-empty set: workload pairs (not
   * self), external ranges to and from workloads, and the ingress controller to workloads. Each
   * class pair is evaluated once. With multi-network analysis a pair connected on several
   * networks is reported once per network.
   */
  public void forEachAllowed(Sink sink) {
    forEachAllowed((network, src, dst, allowed) -> sink.accept(src, dst, allowed));
  }

  /**
   * Like {@link #forEachAllowed(Sink)}, with the network of each connection: external peers and
   * the ingress controller reach a workload on its primary network; secondary networks carry
   * workload pairs only.
   */
  public void forEachAllowed(NetworkSink sink) {
    forEachAllowed(sink, true);
  }

  /**
   * Every allowed connection with an external range or the ingress controller at one end, on the
   * pod network: what {@link #forEachAllowed(Sink)} gives besides workload pairs, without
   * evaluating those.
   */
  public void forEachAllowedWithOutside(Sink sink) {
    forEachAllowed((network, src, dst, allowed) -> sink.accept(src, dst, allowed), false);
  }

  /**
   * {@link #forEachAllowed(Sink)}, with the workload pairs taken from {@code reach} (of this
   * connectivity): only the class pairs it marks are evaluated, one pair at a time, instead of
   * every class's row again. For callers that built the reach anyway and found few pairs allowed.
   */
  public void forEachAllowed(ClassReach reach, Sink sink) {
    if (multiNetwork() || reach.classCount() != classes.size()) {
      forEachAllowed(sink);
      return;
    }
    for (int s = 0; s < classes.size(); s++) {
      BitSet targets = reach.reachable(s);
      List<Workload> sources = classes.get(s).workloads;
      for (int d = targets.nextSetBit(0); d >= 0; d = targets.nextSetBit(d + 1)) {
        ConnectionSet c = evaluator.between(s, d);
        if (c.isEmpty()) {
          continue;
        }
        for (Workload sw : sources) {
          Peer sp = new Peer.WorkloadPeer(sw);
          for (Workload dw : classes.get(d).workloads) {
            if (dw != sw) {
              sink.accept(sp, new Peer.WorkloadPeer(dw), c);
            }
          }
        }
      }
    }
    forEachAllowedWithOutside(sink);
  }

  private void forEachAllowed(NetworkSink sink, boolean workloadPairs) {
    int n = classes.size();
    ConnectionSet[] row = new ConnectionSet[n];
    BitSet nonEmpty = new BitSet(n);
    for (int s = 0; s < n; s++) {
      PeerClass src = classes.get(s);
      if (src.workloads.isEmpty()) {
        continue;
      }
      Network network = primary(s);
      if (workloadPairs) {
        egressRow(s, row, nonEmpty, true);
      }
      for (Workload sw : workloadPairs ? src.workloads : List.<Workload>of()) {
        Peer sp = new Peer.WorkloadPeer(sw);
        for (int d = nonEmpty.nextSetBit(0); d >= 0; d = nonEmpty.nextSetBit(d + 1)) {
          for (Workload dw : classes.get(d).workloads) {
            if (dw != sw) {
              sink.accept(network, sp, new Peer.WorkloadPeer(dw), row[d]);
            }
          }
        }
      }
      for (IpRange r : destinationRanges) {
        ConnectionSet c = evaluator.toIp(s, r);
        if (!c.isEmpty()) {
          Peer dp = new Peer.ExternalPeer(r);
          for (Workload sw : src.workloads) {
            sink.accept(network, new Peer.WorkloadPeer(sw), dp, c);
          }
        }
      }
    }
    for (IpRange r : sourceRanges) {
      Peer sp = new Peer.ExternalPeer(r);
      for (int d = 0; d < n; d++) {
        if (classes.get(d).workloads.isEmpty()) {
          continue;
        }
        ConnectionSet c = evaluator.fromIp(r, d);
        if (!c.isEmpty()) {
          for (Workload dw : classes.get(d).workloads) {
            sink.accept(primary(d), sp, new Peer.WorkloadPeer(dw), c);
          }
        }
      }
    }
    Peer controller = new Peer.IngressControllerPeer();
    for (Workload w : ingressPorts.keySet()) {
      ConnectionSet c = allowed(controller, new Peer.WorkloadPeer(w));
      if (!c.isEmpty()) {
        sink.accept(primary(cls(w)), controller, new Peer.WorkloadPeer(w), c);
      }
    }
    for (SecondaryNetwork sn : workloadPairs ? secondaries : List.<SecondaryNetwork>of()) {
      forEachAllowedOn(sn, sink);
    }
  }

  private void forEachAllowedOn(SecondaryNetwork sn, NetworkSink sink) {
    for (int s : sn.attached()) {
      for (int d : sn.attached()) {
        ConnectionSet c = sn.evaluator().between(s, d);
        if (c.isEmpty()) {
          continue;
        }
        for (Workload sw : classes.get(s).workloads) {
          Peer sp = new Peer.WorkloadPeer(sw);
          for (Workload dw : classes.get(d).workloads) {
            if (dw != sw) {
              sink.accept(sn.network(), sp, new Peer.WorkloadPeer(dw), c);
            }
          }
        }
      }
    }
  }

  /**
   * Receives the connections of {@link #forEachSorted}: first the destinations in display order,
   * then each connection naming its destination by index in that list.
   */
  public interface SortedSink {
    void destinations(List<Peer> destinations);

    void accept(Peer src, int dst, ConnectionSet allowed);
  }

  /**
   * Calls {@code sink} for every allowed connection on the pod network in the order of {@link
   * #connections()} (source display name, then destination) without holding them: memory is
   * bounded by the model, not by the number of allowed pairs. Each source evaluates one row over
   * the classes; destinations are visited in display order.
   *
   * @throws IllegalStateException with multi-network analysis (connections may then be on several networks)
   */
  public void forEachSorted(SortedSink sink) {
    if (multiNetwork()) {
      throw new IllegalStateException("multi-network connectivity is listed per network, not streamed");
    }
    List<Ordered> destinations = new ArrayList<>();
    List<Ordered> sources = new ArrayList<>();
    for (PeerClass c : classes) {
      for (Workload w : c.workloads) {
        Ordered o = new Ordered(new Peer.WorkloadPeer(w), c.index, -1);
        destinations.add(o);
        sources.add(o);
      }
    }
    for (int i = 0; i < destinationRanges.size(); i++) {
      destinations.add(new Ordered(new Peer.ExternalPeer(destinationRanges.get(i)), -1, i));
    }
    for (int i = 0; i < sourceRanges.size(); i++) {
      sources.add(new Ordered(new Peer.ExternalPeer(sourceRanges.get(i)), -1, i));
    }
    if (!ingressPorts.isEmpty()) {
      sources.add(new Ordered(new Peer.IngressControllerPeer(), -1, -1));
    }
    Comparator<Ordered> byName = Comparator.comparing(Ordered::name);
    destinations.sort(byName);
    sources.sort(byName);
    int[] dstClass = new int[destinations.size()];
    int[] dstRange = new int[destinations.size()];
    List<Peer> dstPeers = new ArrayList<>(destinations.size());
    for (int i = 0; i < dstClass.length; i++) {
      dstClass[i] = destinations.get(i).cls();
      dstRange[i] = destinations.get(i).range();
      dstPeers.add(destinations.get(i).peer());
    }
    sink.destinations(java.util.Collections.unmodifiableList(dstPeers));
    int n = classes.size();
    ConnectionSet[] row = new ConnectionSet[n];
    BitSet nonEmpty = new BitSet(n);
    ConnectionSet[] toIp = new ConnectionSet[destinationRanges.size()];
    int[][] positions = positions(dstClass, dstRange, n, toIp.length);
    // The destinations a sparse row allows, in display order; -1 while the row is dense.
    int[] hits = new int[dstClass.length];
    int hitCount = -1;
    int rowClass = -1;
    for (Ordered src : sources) {
      if (src.peer() instanceof Peer.WorkloadPeer) {
        if (src.cls() != rowClass) {
          rowClass = src.cls();
          egressRow(rowClass, row, nonEmpty, true);
          for (int i = 0; i < toIp.length; i++) {
            toIp[i] = evaluator.toIp(rowClass, destinationRanges.get(i));
          }
          hitCount = gather(nonEmpty, toIp, positions, n, hits);
        }
        if (hitCount >= 0) {
          for (int k = 0; k < hitCount; k++) {
            int i = hits[k];
            if (dstPeers.get(i) != src.peer()) {
              sink.accept(src.peer(), i, dstClass[i] >= 0 ? row[dstClass[i]] : toIp[dstRange[i]]);
            }
          }
          continue;
        }
        for (int i = 0; i < dstClass.length; i++) {
          ConnectionSet c = dstClass[i] >= 0 ? row[dstClass[i]] : toIp[dstRange[i]];
          if (!c.isEmpty() && dstPeers.get(i) != src.peer()) {
            sink.accept(src.peer(), i, c);
          }
        }
        continue;
      }
      rowClass = -1;
      if (src.peer() instanceof Peer.ExternalPeer) {
        IpRange r = sourceRanges.get(src.range());
        for (int d = 0; d < n; d++) {
          row[d] = classes.get(d).workloads.isEmpty() ? ConnectionSet.NONE : evaluator.fromIp(r, d);
        }
      } else {
        java.util.Arrays.fill(row, ConnectionSet.NONE);
      }
      for (int i = 0; i < dstClass.length; i++) {
        if (dstClass[i] < 0) {
          continue;
        }
        ConnectionSet c = src.peer() instanceof Peer.ExternalPeer ? row[dstClass[i]]
            : allowed(src.peer(), dstPeers.get(i));
        if (!c.isEmpty()) {
          sink.accept(src.peer(), i, c);
        }
      }
    }
  }

  /**
   * The peers at either end of some connection {@link #forEachSorted} lists, each once, in no
   * particular order: the nodes of a graph of them. Found per source class with bit operations (a workload
   * is reached when a class reaching its class is another one, or its own class with another
   * workload in it), not pair by pair: 10^8 pairs at 10,000 workloads without policies.
   *
   * @throws IllegalStateException with multi-network analysis, as {@link #forEachSorted}
   */
  public List<Peer> connectedPeers() {
    if (multiNetwork()) {
      throw new IllegalStateException("multi-network connectivity is listed per network, not streamed");
    }
    int n = classes.size();
    ConnectionSet[] scratch = new ConnectionSet[n];
    java.util.Arrays.fill(scratch, ConnectionSet.NONE);
    BitSet nonEmpty = new BitSet(n);
    BitSet reached = new BitSet(n);
    boolean[] rangeReached = new boolean[destinationRanges.size()];
    Set<Peer> out = new java.util.LinkedHashSet<>();
    for (int s = populated.nextSetBit(0); s >= 0; s = populated.nextSetBit(s + 1)) {
      List<Workload> sources = classes.get(s).workloads;
      egressRow(s, scratch, nonEmpty, false);
      boolean connected = false;
      for (int i = 0; i < rangeReached.length; i++) {
        if (!evaluator.toIp(s, destinationRanges.get(i)).isEmpty()) {
          rangeReached[i] = true;
          connected = true;
        }
      }
      if (nonEmpty.get(s)) {
        nonEmpty.clear(s);
        if (sources.size() > 1) {
          reached.set(s);
          connected = true;
        }
      }
      if (!nonEmpty.isEmpty()) {
        reached.or(nonEmpty);
        connected = true;
      }
      if (connected) {
        sources.forEach(w -> out.add(new Peer.WorkloadPeer(w)));
      }
    }
    for (IpRange r : sourceRanges) {
      boolean connected = false;
      for (int d = populated.nextSetBit(0); d >= 0; d = populated.nextSetBit(d + 1)) {
        if (!evaluator.fromIp(r, d).isEmpty()) {
          reached.set(d);
          connected = true;
        }
      }
      if (connected) {
        out.add(new Peer.ExternalPeer(r));
      }
    }
    Set<Workload> reachedByController = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    if (!ingressPorts.isEmpty()) {
      Peer controller = new Peer.IngressControllerPeer();
      for (PeerClass c : classes) {
        for (Workload w : c.workloads) {
          if (!allowed(controller, new Peer.WorkloadPeer(w)).isEmpty()) {
            reachedByController.add(w);
          }
        }
      }
      if (!reachedByController.isEmpty()) {
        out.add(controller);
      }
    }
    for (PeerClass c : classes) {
      for (Workload w : c.workloads) {
        if (reached.get(c.index) || reachedByController.contains(w)) {
          out.add(new Peer.WorkloadPeer(w));
        }
      }
    }
    for (int i = 0; i < rangeReached.length; i++) {
      if (rangeReached[i]) {
        out.add(new Peer.ExternalPeer(destinationRanges.get(i)));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Destinations resolved once to their classes (workloads) or ranges (external peers, any range,
   * not only this analysis's partition), for {@link #row}.
   */
  public final class Destinations {
    private final List<Peer> peers;
    private final int[] cls;
    private final IpRange[] ranges;
    private final String[] names;
    /** The last workload row evaluated, kept while sources of one class follow each other. */
    private final ConnectionSet[] row = new ConnectionSet[classes.size()];
    /** The classes that row allows anything to. */
    private final BitSet rowNonEmpty = new BitSet(classes.size());
    private int rowClass = -1;
    /**
     * Where each class ({@code c}) and each external destination ({@code classCount + k}, its
     * number among them) stands among the destinations, as {@link #gather} reads them.
     */
    private final int[][] positions;
    /** Per destination, its number among the external ones, or -1. */
    private final int[] externalIndex;
    /** What the last row's class may open to each external destination, by that number. */
    private final ConnectionSet[] toIp;

    private Destinations(List<Peer> peers) {
      this.peers = List.copyOf(peers);
      cls = new int[peers.size()];
      ranges = new IpRange[peers.size()];
      names = new String[peers.size()];
      externalIndex = new int[peers.size()];
      int externals = 0;
      for (int i = 0; i < cls.length; i++) {
        Peer p = peers.get(i);
        externalIndex[i] = -1;
        if (p instanceof Peer.WorkloadPeer w) {
          cls[i] = cls(w.workload());
        } else if (p instanceof Peer.ExternalPeer e) {
          cls[i] = -1;
          ranges[i] = e.range();
          names[i] = e.name();
          externalIndex[i] = externals++;
        } else {
          throw new IllegalArgumentException("not a destination: " + p.displayName());
        }
      }
      positions = Connectivity.positions(cls, externalIndex, classes.size(), externals);
      toIp = new ConnectionSet[externals];
    }

    /** The row of class {@code s}, evaluated unless it is the last one. */
    private ConnectionSet[] rowOf(int s) {
      if (s != rowClass) {
        egressRow(s, row, rowNonEmpty, true);
        rowClass = s;
      }
      return row;
    }
  }

  /**
   * Resolves {@code peers} (workloads of this model, or with the ids of its workloads, and external
   * ranges) for {@link #row}. The result is the caller's: it keeps the last row evaluated.
   */
  public Destinations destinations(List<Peer> peers) {
    return new Destinations(peers);
  }

  /**
   * What policy allows from {@code src} to each of {@code destinations}, into {@code out} (same
   * index), on the pod network, the same as {@link #allowed} pair by pair: a workload source
   * evaluates one row per class (reused while the class repeats), not one per destination.
   */
  public void row(Peer src, Destinations destinations, ConnectionSet[] out) {
    if (src instanceof Peer.WorkloadPeer w) {
      int s = cls(w.workload());
      ConnectionSet[] rowBuffer = destinations.rowOf(s);
      for (int i = 0; i < out.length; i++) {
        int d = destinations.cls[i];
        if (d < 0) {
          out[i] = evaluator.toIp(s, destinations.ranges[i], destinations.names[i]);
        } else if (d == s && ((Peer.WorkloadPeer) destinations.peers.get(i)).workload().id().equals(w.workload().id())) {
          out[i] = ConnectionSet.NONE;
        } else {
          out[i] = rowBuffer[d];
        }
      }
      return;
    }
    if (src instanceof Peer.ExternalPeer e) {
      Map<Integer, ConnectionSet> byClass = new java.util.HashMap<>();
      for (int i = 0; i < out.length; i++) {
        int d = destinations.cls[i];
        out[i] = d < 0 ? ConnectionSet.NONE : byClass.computeIfAbsent(d, k -> evaluator.fromIp(e.range(), k));
      }
      return;
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = destinations.cls[i] < 0 ? ConnectionSet.NONE : allowed(src, destinations.peers.get(i));
    }
  }

  /**
   * {@link #row} for a workload source, sparse: the positions of the destinations {@code src} may
   * open anything to, in increasing order, into {@code hits}, their number returned, and what it
   * may open into {@code out} at those positions only. Returns -1 instead when they are more than a
   * quarter of the destinations, where a full {@link #row} (of the row just evaluated) costs less.
   * Under default-deny a source reaches a few destinations of 10,000: comparing two policy sets
   * then costs those few per source, not a scan.
   */
  public int reach(Peer.WorkloadPeer src, Destinations destinations, ConnectionSet[] out, int[] hits) {
    Workload w = src.workload();
    int s = cls(w);
    ConnectionSet[] rowBuffer = destinations.rowOf(s);
    ConnectionSet[] toIp = destinations.toIp;
    int n = classes.size();
    for (int k = 0; k < toIp.length; k++) {
      int i = destinations.positions[n + k][0];
      toIp[k] = evaluator.toIp(s, destinations.ranges[i], destinations.names[i]);
    }
    int count = gather(destinations.rowNonEmpty, toIp, destinations.positions, n, hits);
    int k = 0;
    for (int x = 0; x < count; x++) {
      int i = hits[x];
      int d = destinations.cls[i];
      if (d == s && ((Peer.WorkloadPeer) destinations.peers.get(i)).workload().id().equals(w.id())) {
        continue;
      }
      out[i] = d >= 0 ? rowBuffer[d] : toIp[destinations.externalIndex[i]];
      hits[k++] = i;
    }
    return count < 0 ? -1 : k;
  }

  /**
   * Where each class (index {@code c}) and each external range (index {@code classCount + r}) stands
   * among the destinations, in increasing order.
   */
  private static int[][] positions(int[] dstClass, int[] dstRange, int classCount, int rangeCount) {
    int[] sizes = new int[classCount + rangeCount];
    for (int i = 0; i < dstClass.length; i++) {
      sizes[dstClass[i] >= 0 ? dstClass[i] : classCount + dstRange[i]]++;
    }
    int[][] out = new int[sizes.length][];
    for (int k = 0; k < out.length; k++) {
      out[k] = new int[sizes[k]];
      sizes[k] = 0;
    }
    for (int i = 0; i < dstClass.length; i++) {
      int k = dstClass[i] >= 0 ? dstClass[i] : classCount + dstRange[i];
      out[k][sizes[k]++] = i;
    }
    return out;
  }

  /**
   * The positions of the destinations a row allows something to, sorted, into {@code hits}, and
   * their number; or -1 when they are more than a quarter of all destinations, where scanning every
   * destination costs less than sorting them. Under default-deny a row allows a few destinations
   * of 10,000, and a source then costs those few instead of a scan.
   */
  private static int gather(BitSet nonEmpty, ConnectionSet[] toIp, int[][] positions, int classCount, int[] hits) {
    int limit = hits.length / 4;
    int count = 0;
    for (int d = nonEmpty.nextSetBit(0); d >= 0; d = nonEmpty.nextSetBit(d + 1)) {
      count += positions[d].length;
      if (count > limit) {
        return -1;
      }
    }
    for (int r = 0; r < toIp.length; r++) {
      if (!toIp[r].isEmpty()) {
        count += positions[classCount + r].length;
        if (count > limit) {
          return -1;
        }
      }
    }
    int k = 0;
    for (int d = nonEmpty.nextSetBit(0); d >= 0; d = nonEmpty.nextSetBit(d + 1)) {
      for (int i : positions[d]) {
        hits[k++] = i;
      }
    }
    for (int r = 0; r < toIp.length; r++) {
      if (!toIp[r].isEmpty()) {
        for (int i : positions[classCount + r]) {
          hits[k++] = i;
        }
      }
    }
    java.util.Arrays.sort(hits, 0, k);
    return k;
  }

  /** A peer with its display name computed once, its class (workloads) or range index (external). */
  private record Ordered(Peer peer, int cls, int range, String name) {
    Ordered(Peer peer, int cls, int range) {
      this(peer, cls, range, peer.displayName());
    }
  }

  /**
   * What class {@code s} may open to every class on its primary network, both sides' policies
   * applied: the classes it allows anything to into {@code nonEmpty}, and with {@code full} every
   * entry of {@code row}; without, {@code row} is scratch that holds {@link ConnectionSet#NONE}
   * throughout before and after. Under default-deny only the classes some egress rule matches are
   * evaluated; without {@code full}, a source whose egress is open reaches the classes open for
   * ingress unevaluated.
   */
  private void egressRow(int s, ConnectionSet[] row, BitSet nonEmpty, boolean full) {
    nonEmpty.clear();
    if (full) {
      java.util.Arrays.fill(row, ConnectionSet.NONE);
    }
    if (evaluator.networkPolicyEgressRow(s, row, nonEmpty)) {
      for (int d = nonEmpty.nextSetBit(0); d >= 0; d = nonEmpty.nextSetBit(d + 1)) {
        ConnectionSet c = row[d];
        c = !populated.get(d) || isolated(s, d) || c.isEmpty() ? ConnectionSet.NONE
            : c.intersect(evaluator.ingress(d, s));
        if (c.isEmpty()) {
          row[d] = ConnectionSet.NONE;
          nonEmpty.clear(d);
        } else {
          row[d] = c;
        }
      }
      if (!full) {
        for (int d = nonEmpty.nextSetBit(0); d >= 0; d = nonEmpty.nextSetBit(d + 1)) {
          row[d] = ConnectionSet.NONE;
        }
      }
    } else {
      // No policy selects the source for egress: its side allows everything, so only ingress decides.
      boolean openEgress = !evaluator.isProtected(s, false);
      OpenIngress open = openIngress();
      BitSet targets = populated;
      if (openEgress && primaryOf == null) {
        // The classes open for ingress are reached whatever the source: copied, not evaluated.
        nonEmpty.or(open.populatedOpen());
        if (full) {
          System.arraycopy(open.row(), 0, row, 0, row.length);
        }
        targets = open.populatedClosed();
      }
      for (int d = targets.nextSetBit(0); d >= 0; d = targets.nextSetBit(d + 1)) {
        if (isolated(s, d)) {
          continue;
        }
        ConnectionSet c = !openEgress ? evaluator.between(s, d)
            : open.open()[d] ? ConnectionSet.ALL : ConnectionSet.ALL.intersect(evaluator.ingress(d, s));
        if (!c.isEmpty()) {
          row[d] = c;
          nonEmpty.set(d);
        }
      }
      if (!full) {
        for (int d = targets.nextSetBit(0); d >= 0; d = targets.nextSetBit(d + 1)) {
          row[d] = ConnectionSet.NONE;
        }
      }
    }
  }

  /**
   * Reachability between workloads aggregated per class: one row per source class, evaluated the
   * way {@link #forEachAllowed} evaluates it, kept as bits. Costs classes squared bit operations
   * at most, and evaluations only where policy can decide (most skipped under default-deny or
   * without policies), never workloads squared.
   */
  public ClassReach classReach() {
    int n = classes.size();
    BitSet[] reach = new BitSet[n];
    ConnectionSet[] scratch = new ConnectionSet[n];
    java.util.Arrays.fill(scratch, ConnectionSet.NONE);
    long pairs = 0;
    for (int s = 0; s < n; s++) {
      reach[s] = new BitSet(n);
      int sw = classes.get(s).workloads.size();
      if (sw == 0) {
        continue;
      }
      egressRow(s, scratch, reach[s], false);
      pairs += (long) sw * workloadsIn(reach[s]) - (reach[s].get(s) ? sw : 0);
    }
    return new ClassReach(this, classes, reach, pairs);
  }

  /** The workloads of the classes in {@code cls} (all populated), counting the smaller side. */
  private long workloadsIn(BitSet cls) {
    long sum = 0;
    if (cls.cardinality() * 2 <= populated.cardinality()) {
      for (int d = cls.nextSetBit(0); d >= 0; d = cls.nextSetBit(d + 1)) {
        sum += classes.get(d).workloads.size();
      }
      return sum;
    }
    BitSet rest = (BitSet) populated.clone();
    rest.andNot(cls);
    for (int d = rest.nextSetBit(0); d >= 0; d = rest.nextSetBit(d + 1)) {
      sum += classes.get(d).workloads.size();
    }
    return workloadTotal - sum;
  }

  /** The index of a workload's class, for {@link ClassReach}. */
  int classIndex(Workload w) {
    return cls(w);
  }

  /** Per class, whether no policy of any tier selects it for ingress; computed once. */
  private OpenIngress openIngress() {
    OpenIngress o = openIngress;
    if (o == null) {
      boolean[] open = new boolean[classes.size()];
      BitSet populatedOpen = new BitSet(open.length);
      for (int c = 0; c < open.length; c++) {
        open[c] = !evaluator.isProtected(c, true);
        if (open[c] && populated.get(c)) {
          populatedOpen.set(c);
        }
      }
      BitSet populatedClosed = (BitSet) populated.clone();
      populatedClosed.andNot(populatedOpen);
      // A source with open egress: ALL to the populated classes open for ingress, NONE elsewhere. Only copied from.
      ConnectionSet[] row = new ConnectionSet[open.length];
      java.util.Arrays.fill(row, ConnectionSet.NONE);
      populatedOpen.stream().forEach(c -> row[c] = ConnectionSet.ALL);
      o = new OpenIngress(open, populatedOpen, populatedClosed, row);
      openIngress = o;
    }
    return o;
  }

  /** Every allowed connection, sorted by source, then destination display name, then network. */
  public List<Connection> connections() {
    List<Connection> out = new ArrayList<>();
    forEachAllowed((Network n, Peer s, Peer d, ConnectionSet c) -> out.add(new Connection(s, d, c, n)));
    out.sort(Comparator.comparing((Connection c) -> c.src().displayName())
        .thenComparing(c -> c.dst().displayName()).thenComparing(Connection::network));
    return out;
  }

  /**
   * The external peers an observed address may stand for: the ranges that hold any of
   * {@code address}, or, for a peer known only as "the internet" or by DNS name (null), every
   * range that holds public addresses.
   */
  public List<Peer> externalPeers(IpRange address, boolean asSource) {
    return externalPeers(address, null, asSource);
  }

  /**
   * {@link #externalPeers(IpRange, boolean)} for a destination observed by DNS name ({@code name},
   * or null): each peer carries the name, which ClusterNetworkPolicy {@code domainNames} decide.
   */
  public List<Peer> externalPeers(IpRange address, String name, boolean asSource) {
    List<Peer> out = new ArrayList<>();
    for (IpRange r : asSource ? sourceRanges : destinationRanges) {
      if (address != null ? r.overlaps(address) : !r.isPrivateUse()) {
        out.add(new Peer.ExternalPeer(r, asSource ? null : name));
      }
    }
    if (out.isEmpty() && address != null) {
      // A family no policy or pod of the model names (IPv6 seen only in traffic): one piece, the
      // whole family, which every rule either matches entirely (no peers) or not at all.
      out.add(new Peer.ExternalPeer(IpRange.all(address.family()), asSource ? null : name));
    }
    return out;
  }
}
