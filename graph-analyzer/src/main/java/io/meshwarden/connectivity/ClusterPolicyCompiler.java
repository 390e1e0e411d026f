package io.meshwarden.connectivity;

import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.ClusterNetworkPolicy;
import io.meshwarden.model.ClusterNode;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.PolicyPort;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Compiles ClusterNetworkPolicies into the tiers of a {@link PolicyIndex}: Admin ones join the
 * AdminNetworkPolicies (ordered by priority together), Baseline ones form the Baseline tier.
 * Accept becomes the tier's Allow; the verb stays {@code Accept} for explanations.
 *
 * <p>Host-network pods are neither subjects nor {@code namespaces}/{@code pods} peers. A
 * {@code nodes} peer stands for the addresses of the Nodes it selects. A peer of an unknown
 * shape fails closed: it matches nothing in an Accept rule and turns a Deny or Pass rule into a
 * rule that denies everything. {@code networks} and {@code nodes} peers also match pods by their
 * addresses (see {@link PodAddresses}). A {@code domainNames} peer matches no address: which
 * addresses a name has is only known at run time; it matches a destination known by name
 * (see {@link DomainNames}).
 */
final class ClusterPolicyCompiler {
  private final PolicyIndex index;
  private final List<ClusterNode> nodes;

  ClusterPolicyCompiler(PolicyIndex index, List<ClusterNode> nodes) {
    this.index = index;
    this.nodes = nodes;
  }

  /** The Admin tier: AdminNetworkPolicies and Admin ClusterNetworkPolicies, lower priority first. */
  List<PolicyIndex.Policy> admin(List<AdminNetworkPolicy> anps, List<ClusterNetworkPolicy> cnps,
      Function<AdminNetworkPolicy, PolicyIndex.Policy> compileAnp) {
    record Entry(int priority, int kind, String name, Object policy) {}
    List<Entry> entries = new ArrayList<>();
    anps.forEach(a -> entries.add(new Entry(a.priority(), 0, a.name(), a)));
    cnps.stream().filter(c -> c.tier() == ClusterNetworkPolicy.Tier.Admin)
        .forEach(c -> entries.add(new Entry(c.priority(), 1, c.name(), c)));
    // Equal priorities have no defined order (an ambiguity finding says so); name order keeps runs stable.
    entries.sort(Comparator.comparingInt(Entry::priority).thenComparingInt(Entry::kind).thenComparing(Entry::name));
    List<PolicyIndex.Policy> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(e.policy() instanceof AdminNetworkPolicy a ? compileAnp.apply(a) : compile((ClusterNetworkPolicy) e.policy()));
    }
    return out;
  }

  /** The Baseline tier's ClusterNetworkPolicies, lower priority first. */
  List<PolicyIndex.Policy> baseline(List<ClusterNetworkPolicy> cnps) {
    return cnps.stream().filter(c -> c.tier() == ClusterNetworkPolicy.Tier.Baseline)
        .sorted(Comparator.comparingInt(ClusterNetworkPolicy::priority).thenComparing(ClusterNetworkPolicy::name))
        .map(this::compile).toList();
  }

  PolicyIndex.Policy compile(ClusterNetworkPolicy cnp) {
    String name = "ClusterNetworkPolicy " + cnp.name();
    BitSet subjects = withoutHostNetwork(index.select(cnp.subject()));
    List<PolicyIndex.Rule> ingress = new ArrayList<>();
    for (ClusterNetworkPolicy.Rule r : cnp.ingress()) {
      ingress.add(rule(name, r, index.sourceIpRanges));
    }
    List<PolicyIndex.Rule> egress = new ArrayList<>();
    for (ClusterNetworkPolicy.Rule r : cnp.egress()) {
      egress.add(rule(name, r, index.destinationIpRanges));
    }
    return new PolicyIndex.Policy(name, cnp.tier() + " tier, priority " + cnp.priority(), cnp.origin(), subjects,
        ingress, egress, !ingress.isEmpty(), !egress.isEmpty());
  }

  private PolicyIndex.Rule rule(String policy, ClusterNetworkPolicy.Rule r, List<IpRange> ipCuts) {
    String ruleName = r.name() == null ? "" : r.name();
    if (r.failsClosed() && r.action() != ClusterNetworkPolicy.Action.Accept) {
      BitSet all = new BitSet();
      all.set(0, index.classes.size());
      return new PolicyIndex.Rule(policy, ruleName, r.origin(), AdminNetworkPolicy.Action.Deny,
          "Deny (fails closed: a peer of unknown shape)", all, true, List.of(), List.<PolicyPort>of(), true, List.of(),
          new BitSet());
    }
    BitSet matched = new BitSet();
    List<IpRange> ips = new ArrayList<>();
    List<String> domainNames = new ArrayList<>();
    boolean clusterWide = false;
    for (ClusterNetworkPolicy.Peer p : r.peers()) {
      if (p.pods() != null) {
        matched.or(withoutHostNetwork(index.select(p.pods())));
        clusterWide |= p.pods().namespaceSelector().isEmpty()
            && (p.pods().podSelector() == null || p.pods().podSelector().isEmpty());
      }
      for (String n : p.networks()) {
        ips.add(IpRange.parseCidr(n));
      }
      if (p.nodes() != null) {
        for (ClusterNode node : nodes) {
          if (p.nodes().matches(node.labels())) {
            node.addresses().forEach(a -> ips.add(IpRange.parseAddress(a)));
          }
        }
      }
      domainNames.addAll(p.domainNames());
    }
    ipCuts.addAll(ips);
    BitSet byAddress = index.byAddress(policy, ruleName, r.origin(), ips);
    matched.or(byAddress);
    AdminNetworkPolicy.Action action = switch (r.action()) {
      case Accept -> AdminNetworkPolicy.Action.Allow;
      case Deny -> AdminNetworkPolicy.Action.Deny;
      case Pass -> AdminNetworkPolicy.Action.Pass;
    };
    return new PolicyIndex.Rule(policy, ruleName, r.origin(), action, r.action().name(), matched, false, ips,
        r.protocols(), clusterWide, List.copyOf(domainNames), byAddress);
  }

  private BitSet withoutHostNetwork(BitSet classes) {
    for (int c = classes.nextSetBit(0); c >= 0; c = classes.nextSetBit(c + 1)) {
      if (index.classes.get(c).isHostNetwork()) {
        classes.clear(c);
      }
    }
    return classes;
  }
}
