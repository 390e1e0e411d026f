package io.meshwarden.connectivity;

import io.meshwarden.model.IpRange;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What one NetworkPolicy rule opens: the workloads it protects ({@link #subjects}), the workloads
 * and IP ranges on the other side ({@link #peers}, {@link #ipRanges}), and the ports, resolved per
 * destination. Findings use it to say "rule 2 of policy db-allow allows 412 pairs, 3 used".
 */
public final class RuleReach {
  private final PolicyIndex.Rule rule;
  private final String policy;
  private final int number;
  private final boolean ingress;
  private final List<Workload> subjects;
  private final List<Workload> peers;
  /** The class of a workload of the analysed model, or null for a workload it does not hold. */
  private final Function<Workload, PeerClass> classOf;
  /** The classes of {@link #subjects} and of {@link #peers}: membership without a scan of either list. */
  private final BitSet subjectClasses;
  private final BitSet peerClasses;
  private final long pairs;

  private RuleReach(PolicyIndex.Rule rule, String policy, int number, boolean ingress, PolicyIndex index,
      BitSet subjectClasses, Function<Workload, PeerClass> classOf) {
    this.rule = rule;
    this.policy = policy;
    this.number = number;
    this.ingress = ingress;
    this.subjectClasses = within(index, subjectClasses);
    this.peerClasses = within(index, rule.classes);
    this.subjects = workloads(index, this.subjectClasses);
    this.peers = workloads(index, this.peerClasses);
    this.classOf = classOf;
    // A workload is on both sides exactly when its class is: equal workloads share a class.
    BitSet both = (BitSet) this.subjectClasses.clone();
    both.and(this.peerClasses);
    long self = 0;
    for (int c = both.nextSetBit(0); c >= 0; c = both.nextSetBit(c + 1)) {
      self += index.classes.get(c).workloads.size();
    }
    this.pairs = (long) subjects.size() * peers.size() - self;
  }

  /** The policy, as {@code NetworkPolicy ns/name}. */
  public String policy() {
    return policy;
  }

  /** 1-based position of the rule in its direction's list. */
  public int number() {
    return number;
  }

  public boolean ingress() {
    return ingress;
  }

  public Origin origin() {
    return rule.origin;
  }

  /** Workloads the policy selects (destinations for ingress rules, sources for egress rules). */
  public List<Workload> subjects() {
    return subjects;
  }

  /** Workloads the rule admits on the other side. */
  public List<Workload> peers() {
    return peers;
  }

  /** Whether the rule admits any address (no {@code from}/{@code to} at all). */
  public boolean anyIp() {
    return rule.allIps;
  }

  /** External ranges the rule's ipBlocks admit. */
  public List<IpRange> ipRanges() {
    return rule.ips;
  }

  /** Whether the rule names no port, so it opens every port. */
  public boolean allPorts() {
    return rule.ports.isEmpty();
  }

  /** The rule's ports towards {@code destination} (named ports resolved on its containers). */
  public ConnectionSet portsTo(Workload destination) {
    // Detectors ask per rule and destination, millions of times at 10,000 workloads: numeric ports
    // need no class, and a named one finds its class by lookup (a scan was most of the report).
    if (rule.fixedPorts != null) {
      return rule.fixedPorts;
    }
    Consumer<io.meshwarden.model.Diagnostic> ignore = w -> { };
    return PortResolver.resolve(rule, classOf.apply(destination), false, false, destination.id(), ignore);
  }

  /** Whether {@code w} is one of {@link #subjects} (as {@code subjects().contains(w)}, by lookup). */
  public boolean isSubject(Workload w) {
    PeerClass c = classOf.apply(w);
    return c != null && subjectClasses.get(c.index);
  }

  /** Whether {@code w} is one of {@link #peers} (as {@code peers().contains(w)}, by lookup). */
  public boolean isPeer(Workload w) {
    PeerClass c = classOf.apply(w);
    return c != null && peerClasses.get(c.index);
  }

  /** Every (source, destination) workload pair the rule opens, self pairs excluded. */
  public long pairCount() {
    return pairs;
  }

  @Override
  public String toString() {
    return (ingress ? "ingress" : "egress") + " rule " + number + " of " + policy;
  }

  /**
   * Builds the reach of every NetworkPolicy rule of an index.
   *
   * @param classOf the class of each workload of the index's model (null for any other workload)
   */
  static List<RuleReach> of(PolicyIndex index, Function<Workload, PeerClass> classOf) {
    List<RuleReach> out = new ArrayList<>();
    for (PolicyIndex.Policy p : index.networkPolicies) {
      if (p.affectsIngress) {
        int i = 0;
        for (PolicyIndex.Rule r : p.ingress) {
          out.add(new RuleReach(r, p.name, ++i, true, index, p.subjects, classOf));
        }
      }
      if (p.affectsEgress) {
        int i = 0;
        for (PolicyIndex.Rule r : p.egress) {
          out.add(new RuleReach(r, p.name, ++i, false, index, p.subjects, classOf));
        }
      }
    }
    return out;
  }

  /** The classes of the set that the index holds (rule bit sets may run past them). */
  private static BitSet within(PolicyIndex index, BitSet classes) {
    BitSet out = (BitSet) classes.clone();
    if (out.length() > index.classes.size()) {
      out.clear(index.classes.size(), out.length());
    }
    return out;
  }

  private static List<Workload> workloads(PolicyIndex index, BitSet classes) {
    List<Workload> out = new ArrayList<>();
    for (int c = classes.nextSetBit(0); c >= 0; c = classes.nextSetBit(c + 1)) {
      out.addAll(index.classes.get(c).workloads);
    }
    return List.copyOf(out);
  }
}
