package io.meshwarden.connectivity;

import io.meshwarden.model.IpRange;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

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
  private final List<PeerClass> classes;

  RuleReach(PolicyIndex.Rule rule, String policy, int number, boolean ingress, List<Workload> subjects,
      List<Workload> peers, List<PeerClass> classes) {
    this.rule = rule;
    this.policy = policy;
    this.number = number;
    this.ingress = ingress;
    this.subjects = List.copyOf(subjects);
    this.peers = List.copyOf(peers);
    this.classes = classes;
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
    PeerClass dst = null;
    for (PeerClass c : classes) {
      if (c.workloads.contains(destination)) {
        dst = c;
        break;
      }
    }
    Consumer<io.meshwarden.model.Diagnostic> ignore = w -> { };
    return PortResolver.resolve(rule, dst, false, false, destination.id(), ignore);
  }

  /** Every (source, destination) workload pair the rule opens, self pairs excluded. */
  public long pairCount() {
    long n = (long) subjects.size() * peers.size();
    for (Workload s : subjects) {
      if (peers.contains(s)) {
        n--;
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return (ingress ? "ingress" : "egress") + " rule " + number + " of " + policy;
  }

  /** Builds the reach of every NetworkPolicy rule of an index. */
  static List<RuleReach> of(PolicyIndex index) {
    List<RuleReach> out = new ArrayList<>();
    for (PolicyIndex.Policy p : index.networkPolicies) {
      List<Workload> subjects = workloads(index, p.subjects);
      if (p.affectsIngress) {
        int i = 0;
        for (PolicyIndex.Rule r : p.ingress) {
          out.add(new RuleReach(r, p.name, ++i, true, subjects, workloads(index, r.classes), index.classes));
        }
      }
      if (p.affectsEgress) {
        int i = 0;
        for (PolicyIndex.Rule r : p.egress) {
          out.add(new RuleReach(r, p.name, ++i, false, subjects, workloads(index, r.classes), index.classes));
        }
      }
    }
    return out;
  }

  private static List<Workload> workloads(PolicyIndex index, java.util.BitSet classes) {
    List<Workload> out = new ArrayList<>();
    for (int c = classes.nextSetBit(0); c >= 0 && c < index.classes.size(); c = classes.nextSetBit(c + 1)) {
      out.addAll(index.classes.get(c).workloads);
    }
    return out;
  }
}
