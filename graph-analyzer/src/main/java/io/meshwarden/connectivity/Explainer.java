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

  /** {@code otherClass} is -1 when the other side is {@code otherIp}. */
  Explanation.Side side(boolean ingress, int selected, String subject, int otherClass, IpRange otherIp,
      Protocol protocol, int port) {
    List<String> steps = new ArrayList<>();
    PeerClass portDst = ingress ? index.classes.get(selected) : otherClass >= 0 ? index.classes.get(otherClass) : null;
    String dir = ingress ? "ingress" : "egress";
    for (PolicyIndex.Policy p : index.adminPolicies) {
      if (!p.subjects.get(selected) || !(ingress ? p.affectsIngress : p.affectsEgress)) {
        continue;
      }
      for (PolicyIndex.Rule r : ingress ? p.ingress : p.egress) {
        dependsOnDns(p, r, otherIp, steps);
        if (matches(r, otherClass, otherIp) && ports(r, portDst, true).contains(protocol, port)) {
          steps.add(named(p) + " " + dir + " rule \"" + r.name + "\" (" + r.origin + "): " + r.verb);
          Explanation.DecidedBy by = new Explanation.DecidedBy(named(p), dir + " rule \"" + r.name + "\"", r.origin);
          switch (r.action) {
            case Allow -> {
              return new Explanation.Side(subject, true, steps, by);
            }
            case Deny -> {
              return new Explanation.Side(subject, false, steps, by);
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
          index.networkPolicies.get(nps[0]).origin));
    }
    for (PolicyIndex.Policy b : index.baselinePolicies) {
      if (!b.subjects.get(selected) || !(ingress ? b.affectsIngress : b.affectsEgress)) {
        continue;
      }
      for (PolicyIndex.Rule r : ingress ? b.ingress : b.egress) {
        dependsOnDns(b, r, otherIp, steps);
        if (matches(r, otherClass, otherIp) && ports(r, portDst, true).contains(protocol, port)) {
          steps.add(named(b) + " " + dir + " rule \"" + r.name + "\" (" + r.origin + "): " + r.verb);
          if (r.action == io.meshwarden.model.AdminNetworkPolicy.Action.Pass) {
            steps.add("passed: the rest of the Baseline tier is skipped; allowed by default");
          }
          return new Explanation.Side(subject, r.action != io.meshwarden.model.AdminNetworkPolicy.Action.Deny, steps,
              new Explanation.DecidedBy(named(b), dir + " rule \"" + r.name + "\"", r.origin));
        }
      }
    }
    steps.add("no NetworkPolicy selects it for " + dir + ": allowed by default");
    return new Explanation.Side(subject, true, steps);
  }

  /** A rule accepting domain names cannot be decided for an address: the trace says so and moves on. */
  private static void dependsOnDns(PolicyIndex.Policy p, PolicyIndex.Rule r, IpRange otherIp, List<String> steps) {
    if (otherIp != null && !r.domainNames.isEmpty()) {
      steps.add(named(p) + " egress rule \"" + r.name + "\" (" + r.origin + ") accepts " + String.join(", ",
          r.domainNames) + ": depends on DNS (whether " + otherIp + " is one of their addresses); taken as not matching");
    }
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
