package io.meshwarden.connectivity;

import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.IpRange;
import java.util.List;
import java.util.function.Consumer;

/**
 * Decides one direction of one connection the way a conformant CNI does: the Admin tier
 * (AdminNetworkPolicies and Admin ClusterNetworkPolicies in priority order; first matching rule
 * wins per port; Pass hands over), then NetworkPolicies (the union of rules of the policies that
 * select the pod; selection isolates), then the Baseline tier (Baseline ClusterNetworkPolicies in
 * priority order, then the BaselineAdminNetworkPolicy), then the default allow.
 *
 * <p>A connection is allowed when the source's egress and the destination's ingress both allow
 * it. IP peers are never subjects: only the pod side of a pod-IP connection is evaluated.
 */
final class TieredPolicyEvaluator {
  /** Stands for "any pod anywhere" where a class index is expected. */
  private static final int ENTIRE_CLUSTER = -2;

  private final PolicyIndex index;
  private final Consumer<Diagnostic> warn;

  TieredPolicyEvaluator(PolicyIndex index, Consumer<Diagnostic> warn) {
    this.index = index;
    this.warn = warn;
  }

  PolicyIndex index() {
    return index;
  }

  /** Connections allowed from class {@code src} to class {@code dst}. */
  ConnectionSet between(int src, int dst) {
    ConnectionSet egress = direction(false, src, dst, null, null);
    if (egress.isEmpty()) {
      return egress;
    }
    return egress.intersect(direction(true, dst, src, null, null));
  }

  /** The ingress half alone: what {@code dst}'s side allows from class {@code src}. */
  ConnectionSet ingress(int dst, int src) {
    return direction(true, dst, src, null, null);
  }

  /**
   * The egress half for every destination class at once, or false when admin policies select the
   * source for egress or no NetworkPolicy isolates it (then evaluate pair by pair). Under
   * default-deny most of the row is empty, so this touches only the classes some rule matches: it
   * sets them in {@code touched} and unites their connections into {@code row}, whose other
   * entries it leaves alone (the caller fills it with {@link ConnectionSet#NONE} first).
   */
  boolean networkPolicyEgressRow(int src, ConnectionSet[] row, java.util.BitSet touched) {
    int[] nps = index.egressPolicies[src];
    if (nps.length == 0) {
      return false;
    }
    for (PolicyIndex.Policy p : index.adminPolicies) {
      if (p.affectsEgress && p.subjects.get(src)) {
        return false;
      }
    }
    for (int np : nps) {
      for (PolicyIndex.Rule r : index.networkPolicies.get(np).egress) {
        touched.or(r.classes);
        for (int d = r.classes.nextSetBit(0); d >= 0; d = r.classes.nextSetBit(d + 1)) {
          PeerClass dst = index.classes.get(d);
          row[d] = row[d].union(PortResolver.resolve(r, dst, false, dst.representative != null, describe(dst), warn));
        }
      }
    }
    return true;
  }

  /** Connections allowed from an external range to class {@code dst}. */
  ConnectionSet fromIp(IpRange src, int dst) {
    return direction(true, dst, -1, src, null);
  }

  /** Connections allowed from class {@code src} to an external range. */
  ConnectionSet toIp(int src, IpRange dst) {
    return direction(false, src, -1, dst, null);
  }

  /**
   * Connections allowed from class {@code src} to an external range known by a DNS name
   * ({@code name}, or null), which ClusterNetworkPolicy {@code domainNames} rules decide.
   */
  ConnectionSet toIp(int src, IpRange dst, String name) {
    return direction(false, src, -1, dst, name);
  }

  /**
   * What the class allows to (egress) or from (ingress) any pod of any namespace, existing or not:
   * the same tiers, applied to the rules that admit the entire cluster. Names of an ingress result
   * are resolved against the class's own containers where they can be.
   */
  ConnectionSet clusterWide(int cls, boolean ingress) {
    ConnectionSet c = direction(ingress, cls, ENTIRE_CLUSTER, null, null);
    return ingress ? PortResolver.resolveOwnNames(c, index.classes.get(cls)) : c;
  }

  /** Whether any policy of any tier selects the class in this direction. */
  boolean isProtected(int cls, boolean ingress) {
    if ((ingress ? index.ingressPolicies : index.egressPolicies)[cls].length > 0) {
      return true;
    }
    for (PolicyIndex.Policy p : index.adminPolicies) {
      if (p.subjects.get(cls) && (ingress ? p.affectsIngress : p.affectsEgress)) {
        return true;
      }
    }
    for (PolicyIndex.Policy b : index.baselinePolicies) {
      if (b.subjects.get(cls) && (ingress ? b.affectsIngress : b.affectsEgress)) {
        return true;
      }
    }
    return false;
  }

  private ConnectionSet direction(boolean ingress, int selected, int otherClass, IpRange otherIp, String otherName) {
    PeerClass portDst;
    if (otherClass == ENTIRE_CLUSTER) {
      portDst = null;
    } else {
      portDst = ingress ? index.classes.get(selected) : otherClass >= 0 ? index.classes.get(otherClass) : null;
    }
    // Names cannot resolve on pods whose containers nobody described.
    boolean keepNames = otherClass == ENTIRE_CLUSTER || (portDst != null && portDst.representative != null);
    String dstName = otherClass == ENTIRE_CLUSTER ? "entire-cluster"
        : portDst == null ? String.valueOf(otherIp) : describe(portDst);

    ConnectionSet[] admin = tier(index.adminPolicies, ingress, selected, otherClass, otherIp, otherName, portDst,
        keepNames, dstName);
    ConnectionSet anpAllowed = admin[0];
    ConnectionSet anpDenied = admin[1];
    ConnectionSet anpPassed = admin[2];
    boolean anpCaptured = admin[3] != null;

    int[] nps = (ingress ? index.ingressPolicies : index.egressPolicies)[selected];
    if (nps.length > 0) {
      ConnectionSet npAllowed = ConnectionSet.NONE;
      for (int n : nps) {
        PolicyIndex.Policy p = index.networkPolicies.get(n);
        for (PolicyIndex.Rule r : ingress ? p.ingress : p.egress) {
          if (matches(r, otherClass, otherIp)) {
            npAllowed = npAllowed.union(PortResolver.resolve(r, portDst, false, keepNames, dstName, warn));
          }
        }
      }
      if (!anpCaptured) {
        return npAllowed;
      }
      if (anpAllowed.union(anpDenied).isAll()) {
        return anpAllowed.subtract(anpDenied);
      }
      // Passed and unmatched ports are the NetworkPolicies' to decide. The set algebra follows
      // np-guard's order of operations so that symbolic port names come out the same.
      ConnectionSet undecided = anpPassed.union(ConnectionSet.ALL);
      return anpAllowed.union(undecided.intersect(npAllowed).subtract(anpDenied));
    }

    // In the Baseline tier Accept and Pass both end in the default allow: only what it denies counts.
    ConnectionSet banpDenied = tier(index.baselinePolicies, ingress, selected, otherClass, otherIp, otherName, portDst,
        keepNames, dstName)[1];
    if (anpDenied.isEmpty() && banpDenied.isEmpty() && !anpAllowed.hasNames() && !anpPassed.hasNames()) {
      return ConnectionSet.ALL;
    }
    if (anpCaptured && anpAllowed.union(anpDenied).isAll()) {
      return anpAllowed.subtract(anpDenied);
    }
    // Passed and unmatched ports fall to the baseline policy, then to the default allow.
    ConnectionSet undecided = anpPassed.union(ConnectionSet.ALL);
    ConnectionSet denied = anpDenied.union(undecided.intersect(banpDenied).subtract(anpAllowed));
    return anpAllowed.union(undecided).subtract(denied);
  }

  /**
   * Allowed, denied and passed connections of one tier's policies in order: per port, the first
   * policy with a matching rule decides, and inside it the first matching rule. The fourth
   * element is non-null when some policy of the tier matched at all.
   */
  private ConnectionSet[] tier(List<PolicyIndex.Policy> policies, boolean ingress, int selected, int otherClass,
      IpRange otherIp, String otherName, PeerClass portDst, boolean keepNames, String dstName) {
    ConnectionSet allowed = ConnectionSet.NONE;
    ConnectionSet denied = ConnectionSet.NONE;
    ConnectionSet passed = ConnectionSet.NONE;
    boolean captured = false;
    for (PolicyIndex.Policy p : policies) {
      if (!p.subjects.get(selected) || !(ingress ? p.affectsIngress : p.affectsEgress)) {
        continue;
      }
      ConnectionSet[] adp = firstMatch(ingress ? p.ingress : p.egress, otherClass, otherIp, otherName, portDst, keepNames,
          dstName);
      if (adp[0].isEmpty() && adp[1].isEmpty() && adp[2].isEmpty()) {
        continue;
      }
      captured = true;
      ConnectionSet decided = allowed.union(denied).union(passed);
      allowed = allowed.union(adp[0].subtract(decided));
      denied = denied.union(adp[1].subtract(decided));
      passed = passed.union(adp[2].subtract(decided));
    }
    return new ConnectionSet[] {allowed, denied, passed, captured ? ConnectionSet.ALL : null};
  }

  /** Allowed, denied and passed connections of one admin policy: its first matching rule wins per port. */
  private ConnectionSet[] firstMatch(List<PolicyIndex.Rule> rules, int otherClass, IpRange otherIp, String otherName,
      PeerClass portDst, boolean keepNames, String dstName) {
    ConnectionSet allowed = ConnectionSet.NONE;
    ConnectionSet denied = ConnectionSet.NONE;
    ConnectionSet passed = ConnectionSet.NONE;
    for (PolicyIndex.Rule r : rules) {
      boolean byName = false;
      if (otherIp != null && !r.domainNames.isEmpty()) {
        if (otherName != null) {
          // A destination observed by name is decided by the name, whatever its address.
          byName = DomainNames.firstMatch(r.domainNames, otherName) != null;
        } else {
          // Which addresses a name has is known only when the pod resolves it: the rule is taken as
          // not matching, which lists the fewest connections, and the list says so.
          warn.accept(Diagnostic.warning("domain-names", r.origin, r.policy + " egress rule \"" + r.name
              + "\" accepts domain names (" + String.join(", ", r.domainNames)
              + "): connections to external addresses depend on DNS and are listed as if none resolved to them"));
        }
      }
      if (!byName && !matches(r, otherClass, otherIp)) {
        continue;
      }
      ConnectionSet c = PortResolver.resolve(r, portDst, true, keepNames, dstName, warn);
      switch (r.action) {
        case Allow -> allowed = allowed.union(c.subtract(denied).subtract(passed));
        case Deny -> denied = denied.union(c.subtract(allowed).subtract(passed));
        case Pass -> passed = passed.union(c.subtract(allowed).subtract(denied));
        default -> throw new IllegalStateException("unknown action " + r.action);
      }
    }
    return new ConnectionSet[] {allowed, denied, passed};
  }

  private static boolean matches(PolicyIndex.Rule r, int otherClass, IpRange otherIp) {
    if (otherClass == ENTIRE_CLUSTER) {
      return r.clusterWide;
    }
    return otherClass >= 0 ? r.matchesClass(otherClass) : r.matchesIp(otherIp);
  }

  private static String describe(PeerClass c) {
    return c.displayName();
  }


}
