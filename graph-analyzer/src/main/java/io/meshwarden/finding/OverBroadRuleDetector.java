package io.meshwarden.finding;

import io.meshwarden.model.IpBlock;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * MW106: rules that admit far more than a reviewer would guess from their name: no peers at all
 * (everything, in and outside the cluster), every pod of every namespace, every address, or every
 * port.
 */
final class OverBroadRuleDetector implements FindingDetector {
  @Override
  public Rule rule() {
    return Rule.OVER_BROAD_RULE;
  }

  @Override
  public List<Finding> detect(AnalysisInput in) {
    List<Finding> out = new ArrayList<>();
    for (NetworkPolicy p : in.model().networkPolicies()) {
      check(p, p.ingress(), true, p.affectsIngress(), out);
      check(p, p.egress(), false, p.affectsEgress(), out);
    }
    return out;
  }

  private void check(NetworkPolicy p, List<NetworkPolicy.Rule> rules, boolean ingress, boolean effective,
      List<Finding> out) {
    if (!effective) {
      return;
    }
    String side = ingress ? "source" : "destination";
    for (int i = 0; i < rules.size(); i++) {
      NetworkPolicy.Rule r = rules.get(i);
      List<String> reasons = new ArrayList<>();
      Severity severity = Severity.LOW;
      if (r.peers().isEmpty()) {
        reasons.add("no " + (ingress ? "from" : "to") + ": admits every " + side + ", in and outside the cluster");
        severity = Severity.MEDIUM;
      }
      for (NetworkPolicy.Peer peer : r.peers()) {
        if (peer.ipBlock() != null && isEverywhere(peer.ipBlock())) {
          reasons.add("ipBlock " + peer.ipBlock().cidr() + (peer.ipBlock().except().isEmpty() ? "" : " except "
              + peer.ipBlock().except()) + ": admits every address");
          severity = Severity.MEDIUM;
        }
        if (isEmpty(peer.namespaceSelector()) && isEmpty(peer.podSelector())) {
          reasons.add("namespaceSelector: {} without podSelector: admits every pod in every namespace");
          severity = Severity.MEDIUM;
        } else if (peer.namespaceSelector() == null && peer.podSelector() != null && peer.podSelector().isEmpty()) {
          reasons.add("podSelector: {}: admits every pod of namespace " + p.namespace());
        }
      }
      if (r.ports().isEmpty() && !r.peers().isEmpty()) {
        reasons.add("no ports: opens every port and protocol");
      }
      if (reasons.isEmpty()) {
        continue;
      }
      out.add(new Finding(rule(), severity,
          locus(p, ingress, i + 1) + " is broad: " + reasons.get(0),
          "NetworkPolicy " + p.qualifiedName(), reasons, p.originOf(r),
          "Name the " + side + "s by labels (podSelector with namespaceSelector) and list the ports they use;"
              + " `meshwarden generate` proposes the narrowest rule that keeps observed traffic working.")
          .at(locus(p, ingress, i + 1)));
    }
  }

  /** The same words {@code RuleReach} uses, so that MW101 and MW106 on one rule meet. */
  static String locus(NetworkPolicy p, boolean ingress, int number) {
    return (ingress ? "ingress" : "egress") + " rule " + number + " of NetworkPolicy " + p.qualifiedName();
  }

  private static boolean isEmpty(LabelSelector s) {
    return s != null && s.isEmpty();
  }

  private static boolean isEverywhere(IpBlock b) {
    return b.cidr().endsWith("/0");
  }
}
