package io.meshwarden.connectivity;

import io.meshwarden.model.IpRange;
import io.meshwarden.model.Protocol;
import java.util.ArrayList;
import java.util.List;

/**
 * Traces one connection through the tiers {@link TieredPolicyEvaluator} applies, recording which
 * policy and rule decided each side. It repeats the evaluator's order on purpose: the trace must
 * read like the decision, and it is the evaluator's answer the tests hold it to.
 */
final class Explainer {
  private final PolicyIndex index;

  Explainer(PolicyIndex index) {
    this.index = index;
  }

  /**
   * {@code otherClass} is -1 when the other side is {@code otherIp}, known by the DNS name
   * {@code otherName} when not null. A denial that a {@code domainNames} rule would have turned
   * into an Accept, had the address been one of the names', carries what it depends on.
   */
  Explanation.Side side(boolean ingress, int selected, String subject, int otherClass, IpRange otherIp,
      String otherName, Protocol protocol, int port) {
    List<String> steps = new ArrayList<>();
    List<String> dns = new ArrayList<>();
    PeerClass portDst = ingress ? index.classes.get(selected) : otherClass >= 0 ? index.classes.get(otherClass) : null;
    String dir = ingress ? "ingress" : "egress";
    for (PolicyIndex.Policy p : index.adminPolicies) {
      if (!p.subjects.get(selected) || !(ingress ? p.affectsIngress : p.affectsEgress)) {
        continue;
      }
      for (PolicyIndex.Rule r : ingress ? p.ingress : p.egress) {
        boolean portMatches = ports(r, portDst, true).contains(protocol, port);
        boolean byName = byName(p, r, otherIp, otherName, portMatches, steps, dns);
        if ((byName || matches(r, otherClass, otherIp)) && portMatches) {
          steps.add(named(p) + " " + dir + " rule \"" + r.name + "\" (" + r.origin + "): " + r.verb
              + byAddress(r, otherClass));
          Explanation.DecidedBy by = new Explanation.DecidedBy(named(p), dir + " rule \"" + r.name + "\"", r.origin);
          switch (r.action) {
            case Allow -> {
              return new Explanation.Side(subject, true, steps, by);
            }
            case Deny -> {
              return new Explanation.Side(subject, false, steps, by, dns);
            }
            default -> {
              steps.add("passed on to NetworkPolicies");
            }
          }
          break;
        }
      }
      if (!steps.isEmpty() && steps.get(steps.size() - 1).startsWith("passed")) {
        break;
      }
    }
    int[] nps = (ingress ? index.ingressPolicies : index.egressPolicies)[selected];
    if (nps.length > 0) {
      List<String> selecting = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int n : nps) {
        PolicyIndex.Policy p = index.networkPolicies.get(n);
        selecting.add(p.name + " (" + p.origin + ")");
        names.add(p.name);
        int i = 0;
        for (PolicyIndex.Rule r : ingress ? p.ingress : p.egress) {
          i++;
          if (matches(r, otherClass, otherIp) && ports(r, portDst, false).contains(protocol, port)) {
            steps.add(p.name + " " + dir + " rule #" + i + " (" + r.origin + ") admits it");
            return new Explanation.Side(subject, true, steps,
                new Explanation.DecidedBy(p.name, dir + " rule #" + i, r.origin));
          }
        }
      }
      steps.add("selected for " + dir + " by " + String.join(", ", selecting)
          + "; none of their rules admits this peer and port");
      return new Explanation.Side(subject, false, steps, new Explanation.DecidedBy(String.join(", ", names), null,
          index.networkPolicies.get(nps[0]).origin), dns);
    }
    for (PolicyIndex.Policy b : index.baselinePolicies) {
      if (!b.subjects.get(selected) || !(ingress ? b.affectsIngress : b.affectsEgress)) {
        continue;
      }
      for (PolicyIndex.Rule r : ingress ? b.ingress : b.egress) {
        boolean portMatches = ports(r, portDst, true).contains(protocol, port);
        boolean byName = byName(b, r, otherIp, otherName, portMatches, steps, dns);
        if ((byName || matches(r, otherClass, otherIp)) && portMatches) {
          steps.add(named(b) + " " + dir + " rule \"" + r.name + "\" (" + r.origin + "): " + r.verb
              + byAddress(r, otherClass));
          if (r.action == io.meshwarden.model.AdminNetworkPolicy.Action.Pass) {
            steps.add("passed: the rest of the Baseline tier is skipped; allowed by default");
          }
          boolean allowed = r.action != io.meshwarden.model.AdminNetworkPolicy.Action.Deny;
          return new Explanation.Side(subject, allowed, steps,
              new Explanation.DecidedBy(named(b), dir + " rule \"" + r.name + "\"", r.origin),
              allowed ? List.of() : dns);
        }
      }
    }
    steps.add("no NetworkPolicy selects it for " + dir + ": allowed by default");
    return new Explanation.Side(subject, true, steps);
  }

  /**
   * A rule accepting domain names: a destination known by name is decided by it (the trace says
   * which entry matched, or that none did); an address alone cannot be, so the trace says so, the
   * rule is taken as not matching, and {@code dns} records what a denial would depend on.
   */
  private static boolean byName(PolicyIndex.Policy p, PolicyIndex.Rule r, IpRange otherIp, String otherName,
      boolean portMatches, List<String> steps, List<String> dns) {
    if (otherIp == null || r.domainNames.isEmpty()) {
      return false;
    }
    String rule = named(p) + " egress rule \"" + r.name + "\" (" + r.origin + ")";
    if (otherName != null) {
      String match = DomainNames.firstMatch(r.domainNames, otherName);
      steps.add(match == null
          ? rule + " accepts " + String.join(", ", r.domainNames) + ": " + otherName + " is none of them"
          : rule + ": " + otherName + " matches " + match);
      return match != null;
    }
    // A range here is the piece of the address space the destination fell into, not news to anyone.
    String where = otherIp.isSingleAddress() ? otherIp.firstAddress() : "the destination";
    steps.add(rule + " accepts " + String.join(", ", r.domainNames) + ": depends on DNS (whether " + where
        + " is one of their addresses); taken as not matching");
    if (portMatches) {
      dns.add("DNS: whether " + where + " is an address of " + String.join(", ", r.domainNames) + " (" + rule + ")");
    }
    return false;
  }

  /** For a rule that matched a workload by its pods' addresses ({@code networks}, {@code nodes}), which ones. */
  private String byAddress(PolicyIndex.Rule r, int otherClass) {
    if (otherClass < 0 || !r.byAddress.get(otherClass)) {
      return "";
    }
    PeerClass c = index.classes.get(otherClass);
    return " (by address: " + String.join(", ", c.workloads.get(0).podIps()) + " of " + c.displayName()
        + " in its " + (r.ips.isEmpty() ? "peers" : "address peers") + ")";
  }

  /** The policy's name, with its tier and priority where it has them (a ClusterNetworkPolicy). */
  private static String named(PolicyIndex.Policy p) {
    return p.placement == null ? p.name : p.name + " (" + p.placement + ")";
  }

  private static ConnectionSet ports(PolicyIndex.Rule r, PeerClass dst, boolean admin) {
    return PortResolver.resolve(r, dst, admin, false, dst == null ? "" : dst.displayName(), w -> { });
  }

  private static boolean matches(PolicyIndex.Rule r, int otherClass, IpRange otherIp) {
    return otherClass >= 0 ? r.matchesClass(otherClass) : r.matchesIp(otherIp);
  }
}
