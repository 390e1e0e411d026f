package io.meshwarden.connectivity;

import io.meshwarden.model.Workload;
import java.util.BitSet;
import java.util.List;

/**
 * Which workloads policy lets reach which, kept per peer class instead of per pair: one bit per
 * pair of classes whose connection set is not empty, on the pod network. A cluster without
 * policies allows 10^8 workload pairs at 10,000 workloads; this holds 10^8 bits at most (classes
 * squared), and a search over it visits a class once instead of every workload of it.
 * Immutable once built; safe to read from many threads.
 */
public final class ClassReach {
  private final Connectivity connectivity;
  private final List<PeerClass> classes;
  private final BitSet[] reach;
  private final long workloadPairs;

  ClassReach(Connectivity connectivity, List<PeerClass> classes, BitSet[] reach, long workloadPairs) {
    this.connectivity = connectivity;
    this.classes = classes;
    this.reach = reach;
    this.workloadPairs = workloadPairs;
  }

  /** Number of classes (indexes run from 0). */
  public int classCount() {
    return classes.size();
  }

  /** The class of a workload of the analysed model (or one with the same id). */
  public int classOf(Workload w) {
    return connectivity.classIndex(w);
  }

  /** The workloads of a class (empty for the classes of the ingress controller and representatives). */
  public List<Workload> workloads(int cls) {
    return java.util.Collections.unmodifiableList(classes.get(cls).workloads);
  }

  /** The classes {@code cls} may open a connection to: read only. */
  public BitSet reachable(int cls) {
    return reach[cls];
  }

  /** Ordered pairs of distinct workloads with something allowed between them. */
  public long workloadPairs() {
    return workloadPairs;
  }
}
