package io.meshwarden.connectivity;

import io.meshwarden.model.Namespace;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What policy allows between every pair of peers of one model. Computed per peer class and
 * expanded to workloads on demand, so a 10,000-workload cluster never holds all pairs at once.
 * Not thread-safe.
 */
public final class Connectivity {
  /** Receives allowed connections; see {@link #forEachAllowed}. */
  @FunctionalInterface
  public interface Sink {
    void accept(Peer src, Peer dst, ConnectionSet allowed);
  }

  private final List<PeerClass> classes;
  private final Map<Workload, PeerClass> classOf;
  private final int ingressControllerClass;
  private final TieredPolicyEvaluator evaluator;
  private final List<IpRange> sourceRanges;
  private final List<IpRange> destinationRanges;
  private final Map<Workload, ConnectionSet> ingressPorts;
  private final Set<String> warnings;
  private final Map<Peer.RepresentativePeer, PeerClass> representatives;

  Connectivity(List<PeerClass> classes, Map<Workload, PeerClass> classOf, int ingressControllerClass,
      TieredPolicyEvaluator evaluator, List<IpRange> sourceRanges, List<IpRange> destinationRanges,
      Map<Workload, ConnectionSet> ingressPorts, Set<String> warnings,
      Map<Peer.RepresentativePeer, PeerClass> representatives) {
    this.representatives = representatives;
    this.classes = classes;
    this.classOf = classOf;
    this.ingressControllerClass = ingressControllerClass;
    this.evaluator = evaluator;
    this.sourceRanges = sourceRanges;
    this.destinationRanges = destinationRanges;
    this.ingressPorts = ingressPorts;
    this.warnings = warnings;
  }

  /** The number of peer classes the workloads fell into. */
  public int classCount() {
    return classes.size() - 1;
  }

  /** External ranges as sources: the partition of IPv4 induced by ingress ipBlocks. */
  public List<IpRange> sourceRanges() {
    return sourceRanges;
  }

  /** External ranges as destinations: the partition induced by egress ipBlocks and admin networks. */
  public List<IpRange> destinationRanges() {
    return destinationRanges;
  }

  /** Diagnostics raised while evaluating (unresolvable named ports and the like), sorted. */
  public List<String> warnings() {
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
      return evaluator.between(cls(s.workload()), cls(d.workload()));
    }
    if (src instanceof Peer.ExternalPeer s && dst instanceof Peer.WorkloadPeer d) {
      return evaluator.fromIp(s.range(), cls(d.workload()));
    }
    if (src instanceof Peer.WorkloadPeer s && dst instanceof Peer.ExternalPeer d) {
      return evaluator.toIp(cls(s.workload()), d.range());
    }
    if (src instanceof Peer.IngressControllerPeer && dst instanceof Peer.WorkloadPeer d) {
      ConnectionSet ports = ingressPorts.getOrDefault(d.workload(), ConnectionSet.NONE);
      return ports.isEmpty() ? ports : ports.intersect(evaluator.between(ingressControllerClass, cls(d.workload())));
    }
    return ConnectionSet.NONE;
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

  private int cls(Workload w) {
    PeerClass c = classOf.get(w);
    if (c == null) {
      throw new IllegalArgumentException("workload not in this model: " + w.id());
    }
    return c.index;
  }

  /**
   * Calls {@code sink} for every allowed connection with a non-empty set: workload pairs (not
   * self), external ranges to and from workloads, and the ingress controller to workloads. Each
   * class pair is evaluated once.
   */
  public void forEachAllowed(Sink sink) {
    int n = classes.size();
    ConnectionSet[] row = new ConnectionSet[n];
    // One peer object per workload: a busy cluster emits ~10^8 pairs, and they should not allocate.
    Peer[][] peers = new Peer[n][];
    for (int c = 0; c < n; c++) {
      peers[c] = classes.get(c).workloads.stream().map(Peer.WorkloadPeer::new).toArray(Peer[]::new);
    }
    for (int s = 0; s < n; s++) {
      PeerClass src = classes.get(s);
      if (src.workloads.isEmpty()) {
        continue;
      }
      ConnectionSet[] egress = evaluator.networkPolicyEgressRow(s);
      for (int d = 0; d < n; d++) {
        if (classes.get(d).workloads.isEmpty()) {
          row[d] = ConnectionSet.NONE;
        } else if (egress == null) {
          row[d] = evaluator.between(s, d);
        } else {
          row[d] = egress[d].isEmpty() ? egress[d] : egress[d].intersect(evaluator.ingress(d, s));
        }
      }
      for (Peer sp : peers[s]) {
        for (int d = 0; d < n; d++) {
          if (row[d].isEmpty()) {
            continue;
          }
          for (Peer dp : peers[d]) {
            if (dp != sp) {
              sink.accept(sp, dp, row[d]);
            }
          }
        }
      }
      for (IpRange r : destinationRanges) {
        ConnectionSet c = evaluator.toIp(s, r);
        if (!c.isEmpty()) {
          Peer dp = new Peer.ExternalPeer(r);
          for (Peer sp : peers[s]) {
            sink.accept(sp, dp, c);
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
          for (Peer dp : peers[d]) {
            sink.accept(sp, dp, c);
          }
        }
      }
    }
    Peer controller = new Peer.IngressControllerPeer();
    for (Workload w : ingressPorts.keySet()) {
      ConnectionSet c = allowed(controller, new Peer.WorkloadPeer(w));
      if (!c.isEmpty()) {
        sink.accept(controller, new Peer.WorkloadPeer(w), c);
      }
    }
  }

  /** Every allowed connection, sorted by source then destination display name. */
  public List<Connection> connections() {
    List<Connection> out = new ArrayList<>();
    forEachAllowed((s, d, c) -> out.add(new Connection(s, d, c)));
    out.sort(Comparator.comparing((Connection c) -> c.src().displayName())
        .thenComparing(c -> c.dst().displayName()));
    return out;
  }

  /** The namespace the synthetic ingress-controller peer is evaluated in. */
  static final String INGRESS_CONTROLLER_NAMESPACE = "ingress-controller-ns";

  static Namespace ingressControllerNamespace() {
    return Namespace.implicit(INGRESS_CONTROLLER_NAMESPACE);
  }

  static Map<Workload, PeerClass> identityMap() {
    return new IdentityHashMap<>();
  }
}
