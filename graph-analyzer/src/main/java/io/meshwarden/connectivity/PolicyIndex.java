package io.meshwarden.connectivity;

import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.ClusterNetworkPolicy;
import io.meshwarden.model.IpBlock;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.NetworkRef;
import io.meshwarden.model.Origin;
import io.meshwarden.model.PolicyPort;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Policies compiled against the peer classes of one model: which classes each policy selects and
 * each rule matches, as bit sets, so that evaluating a pair is a few bit tests.
 */
final class PolicyIndex {
  private static final BitSet EMPTY = new BitSet();

  /** A compiled rule of any policy kind. */
  static final class Rule {
    final String policy;
    final String name;
    final Origin origin;
    final AdminNetworkPolicy.Action action;
    final BitSet classes;
    final boolean allIps;
    final List<IpRange> ips;
    final List<PolicyPort> ports;
    final ConnectionSet fixedPorts;
    /** Whether the rule admits every pod of every namespace, which exposure reports as entire-cluster. */
    final boolean clusterWide;
    /** The action as its policy spells it ({@code Accept} for a ClusterNetworkPolicy's Allow). */
    final String verb;
    /** Domain names the rule accepts (ClusterNetworkPolicy): an address cannot be decided against them, a name can. */
    final List<String> domainNames;
    /** The classes among {@link #classes} that the rule's address peers match by their pods' addresses. */
    final BitSet byAddress;

    Rule(String policy, String name, Origin origin, AdminNetworkPolicy.Action action, BitSet classes,
        boolean allIps, List<IpRange> ips, List<PolicyPort> ports, boolean clusterWide) {
      this(policy, name, origin, action, action.name(), classes, allIps, ips, ports, clusterWide, List.of(),
          new BitSet());
    }

    Rule(String policy, String name, Origin origin, AdminNetworkPolicy.Action action, String verb, BitSet classes,
        boolean allIps, List<IpRange> ips, List<PolicyPort> ports, boolean clusterWide, List<String> domainNames,
        BitSet byAddress) {
      this.byAddress = byAddress;
      this.verb = verb;
      this.domainNames = domainNames;
      this.clusterWide = clusterWide;
      this.policy = policy;
      this.name = name;
      this.origin = origin;
      this.action = action;
      this.classes = classes;
      this.allIps = allIps;
      this.ips = ips;
      this.ports = ports;
      this.fixedPorts = PortResolver.fixed(ports);
    }

    boolean matchesClass(int c) {
      return classes.get(c);
    }

    boolean matchesIp(IpRange r) {
      if (allIps) {
        return true;
      }
      for (IpRange ip : ips) {
        if (ip.contains(r)) {
          return true;
        }
      }
      return false;
    }
  }

  /** A compiled policy: the classes it selects and its rules per direction. */
  static final class Policy {
    final String name;
    final BitSet subjects;
    final List<Rule> ingress;
    final List<Rule> egress;
    final boolean affectsIngress;
    final boolean affectsEgress;

    final Origin origin;
    /** Where the policy sits, for explanations ({@code Admin tier, priority 10}); null for other kinds. */
    final String placement;

    Policy(String name, Origin origin, BitSet subjects, List<Rule> ingress, List<Rule> egress, boolean affectsIngress,
        boolean affectsEgress) {
      this(name, null, origin, subjects, ingress, egress, affectsIngress, affectsEgress);
    }

    Policy(String name, String placement, Origin origin, BitSet subjects, List<Rule> ingress, List<Rule> egress,
        boolean affectsIngress, boolean affectsEgress) {
      this.placement = placement;
      this.name = name;
      this.origin = origin;
      this.subjects = subjects;
      this.ingress = ingress;
      this.egress = egress;
      this.affectsIngress = affectsIngress;
      this.affectsEgress = affectsEgress;
    }
  }

  final List<PeerClass> classes;
  final List<Policy> networkPolicies = new ArrayList<>();
  /** The Admin tier in evaluation order: AdminNetworkPolicies and Admin ClusterNetworkPolicies by priority. */
  final List<Policy> adminPolicies = new ArrayList<>();
  /** The Baseline tier in evaluation order: Baseline ClusterNetworkPolicies by priority, then the BANP. */
  final List<Policy> baselinePolicies = new ArrayList<>();
  /** Per class: the NetworkPolicies that select it for ingress / egress. */
  final int[][] ingressPolicies;
  final int[][] egressPolicies;
  final List<IpRange> sourceIpRanges = new ArrayList<>();
  final List<IpRange> destinationIpRanges = new ArrayList<>();
  /** What compiling found worth telling (pods partly inside an address peer), for the analysis's warnings. */
  final List<io.meshwarden.model.Diagnostic> notes = new ArrayList<>();
  /** Per namespace: its classes (not representatives). */
  private final Map<String, BitSet> classesByNamespace = new HashMap<>();
  /** Per namespace selector: the classes of the namespaces it matches; only used while compiling. */
  private final Map<LabelSelector, BitSet> classesOfNamespaces = new HashMap<>();
  /** The classes of VirtualMachines, which MultiNetworkPolicy selectors never match. */
  private final BitSet virtualMachines = new BitSet();
  private final ClassLabels labels;
  private final List<PeerClass> representatives = new ArrayList<>();
  private final Map<String, Map<String, String>> namespaceLabels;
  /** The secondary network whose MultiNetworkPolicies this index holds; null for the pod or a primary network. */
  private final String secondaryNetwork;

  PolicyIndex(ClusterModel model, List<PeerClass> classes) {
    this(model, classes, model.networkPolicies(), model.adminNetworkPolicies(),
        model.baselineAdminNetworkPolicy().orElse(null), model.clusterNetworkPolicies(), null);
  }

  /**
   * The index of one secondary network: its MultiNetworkPolicies, which work like NetworkPolicies
   * with no admin tiers around them, except that their selectors never match VirtualMachines and
   * their ipBlocks match pods by the addresses the pods have on that network.
   */
  static PolicyIndex forSecondaryNetwork(ClusterModel model, List<PeerClass> classes, String network,
      List<NetworkPolicy> multiNetworkPolicies) {
    return new PolicyIndex(model, classes, multiNetworkPolicies, List.of(), null, List.of(), network);
  }

  private PolicyIndex(ClusterModel model, List<PeerClass> classes, List<NetworkPolicy> policies,
      List<AdminNetworkPolicy> admin, AdminNetworkPolicy baselinePolicy, List<ClusterNetworkPolicy> cnps,
      String secondaryNetwork) {
    this.secondaryNetwork = secondaryNetwork;
    this.classes = classes;
    this.namespaceLabels = new HashMap<>();
    model.namespaces().forEach((k, v) -> namespaceLabels.put(k, v.labels()));
    for (PeerClass c : classes) {
      if (c.representative != null) {
        representatives.add(c);
        continue;
      }
      classesByNamespace.computeIfAbsent(c.namespace, k -> new BitSet()).set(c.index);
      namespaceLabels.putIfAbsent(c.namespace, c.namespaceLabels);
      if (c.isVirtualMachine()) {
        virtualMachines.set(c.index);
      }
    }
    this.labels = new ClassLabels(classes);
    for (NetworkPolicy np : policies) {
      networkPolicies.add(compile(np));
    }
    ClusterPolicyCompiler cnpCompiler = new ClusterPolicyCompiler(this, model.nodes());
    adminPolicies.addAll(cnpCompiler.admin(admin, cnps, this::compile));
    baselinePolicies.addAll(cnpCompiler.baseline(cnps));
    if (baselinePolicy != null) {
      baselinePolicies.add(compile(baselinePolicy));
    }
    ingressPolicies = new int[classes.size()][];
    egressPolicies = new int[classes.size()][];
    List<List<Integer>> in = new ArrayList<>();
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < classes.size(); i++) {
      in.add(new ArrayList<>());
      out.add(new ArrayList<>());
    }
    for (int p = 0; p < networkPolicies.size(); p++) {
      Policy policy = networkPolicies.get(p);
      for (int c = policy.subjects.nextSetBit(0); c >= 0; c = policy.subjects.nextSetBit(c + 1)) {
        if (policy.affectsIngress) {
          in.get(c).add(p);
        }
        if (policy.affectsEgress) {
          out.get(c).add(p);
        }
      }
    }
    for (int i = 0; i < classes.size(); i++) {
      ingressPolicies[i] = in.get(i).stream().mapToInt(Integer::intValue).toArray();
      egressPolicies[i] = out.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
  }

  private Policy compile(NetworkPolicy np) {
    BitSet subjects = new BitSet();
    labels.mark(np.podSelector(), classesByNamespace.getOrDefault(np.namespace(), EMPTY), subjects);
    List<Rule> ingress = new ArrayList<>();
    int i = 0;
    for (NetworkPolicy.Rule r : np.ingress()) {
      ingress.add(compileRule(np, r, "ingress rule #" + ++i, sourceIpRanges));
    }
    List<Rule> egress = new ArrayList<>();
    i = 0;
    for (NetworkPolicy.Rule r : np.egress()) {
      egress.add(compileRule(np, r, "egress rule #" + ++i, destinationIpRanges));
    }
    return new Policy(policyKind() + np.qualifiedName(), np.origin(), subjects, ingress, egress, np.affectsIngress(),
        np.affectsEgress());
  }

  private Rule compileRule(NetworkPolicy np, NetworkPolicy.Rule r, String name, List<IpRange> ipCuts) {
    BitSet matched = new BitSet();
    List<IpRange> ips = new ArrayList<>();
    boolean all = r.peers().isEmpty();
    if (all) {
      matched.set(0, classes.size());
    }
    for (NetworkPolicy.Peer p : r.peers()) {
      if (p.ipBlock() != null) {
        if (secondaryNetwork != null) {
          markByAddress(p.ipBlock(), matched);
        } else {
          addIpBlock(p.ipBlock(), ips);
        }
        continue;
      }
      if (p.namespaceSelector() == null) {
        markRulePods(classesByNamespace.getOrDefault(np.namespace(), EMPTY), p.podSelector(), matched);
      } else {
        markRulePods(classesOfNamespaces(p.namespaceSelector()), p.podSelector(), matched);
      }
      for (PeerClass c : representatives) {
        if (selectsRepresentative(np, p, c.representative)) {
          matched.set(c.index);
        }
      }
    }
    ipCuts.addAll(ips);
    return new Rule(policyKind() + np.qualifiedName(), name, np.originOf(r), AdminNetworkPolicy.Action.Allow,
        matched, all, ips, r.ports(), ExposureScan.clusterWide(r));
  }

  private String policyKind() {
    return secondaryNetwork == null ? "NetworkPolicy " : "MultiNetworkPolicy ";
  }

  /** Marks the rule peers a selector matches; on a secondary network VMs are reachable by address only. */
  private void markRulePods(BitSet candidates, LabelSelector podSelector, BitSet out) {
    if (secondaryNetwork != null && candidates.intersects(virtualMachines)) {
      candidates = (BitSet) candidates.clone();
      candidates.andNot(virtualMachines);
    }
    labels.mark(podSelector, candidates, out);
  }

  /** The classes of the namespaces {@code namespaceSelector} matches; the caller must not change the result. */
  private BitSet classesOfNamespaces(LabelSelector namespaceSelector) {
    BitSet out = classesOfNamespaces.get(namespaceSelector);
    if (out == null) {
      out = new BitSet();
      for (Map.Entry<String, BitSet> e : classesByNamespace.entrySet()) {
        if (namespaceSelector.matches(namespaceLabels.get(e.getKey()))) {
          out.or(e.getValue());
        }
      }
      classesOfNamespaces.put(namespaceSelector, out);
    }
    return out;
  }

  /** Marks the classes with an address on the secondary network inside the block. */
  private void markByAddress(IpBlock block, BitSet out) {
    List<IpRange> inside = new ArrayList<>();
    addIpBlock(block, inside);
    for (PeerClass c : classes) {
      NetworkRef ref = c.attachment(secondaryNetwork);
      if (ref == null) {
        continue;
      }
      for (String ip : ref.ips()) {
        // An attachment's address may carry its subnet's prefix length; the pod owns the address only.
        String address = ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip;
        IpRange a;
        try {
          a = IpRange.parseAddress(address);
        } catch (IllegalArgumentException e) {
          continue; // malformed: not analysed
        }
        if (inside.stream().anyMatch(r -> r.contains(a))) {
          out.set(c.index);
        }
      }
    }
  }

  private static boolean selectsRepresentative(NetworkPolicy np, NetworkPolicy.Peer p, Peer.RepresentativePeer rep) {
    boolean namespaceMatches = p.namespaceSelector() == null
        ? np.namespace().equals(rep.namespace())
        : SelectorEquality.selects(p.namespaceSelector(), rep.namespaceSelector());
    return namespaceMatches && (p.podSelector() == null || SelectorEquality.selects(p.podSelector(), rep.podSelector()));
  }

  private static void addIpBlock(IpBlock block, List<IpRange> out) {
    out.addAll(block.ranges());
  }

  private Policy compile(AdminNetworkPolicy anp) {
    String kind = anp.baseline() ? "BaselineAdminNetworkPolicy " : "AdminNetworkPolicy ";
    BitSet subjects = select(anp.subject());
    List<Rule> ingress = new ArrayList<>();
    for (AdminNetworkPolicy.Rule r : anp.ingress()) {
      ingress.add(compileRule(kind + anp.name(), anp.origin(), r, sourceIpRanges));
    }
    List<Rule> egress = new ArrayList<>();
    for (AdminNetworkPolicy.Rule r : anp.egress()) {
      egress.add(compileRule(kind + anp.name(), anp.origin(), r, destinationIpRanges));
    }
    return new Policy(kind + anp.name(), anp.origin(), subjects, ingress, egress, !ingress.isEmpty(), !egress.isEmpty());
  }

  private Rule compileRule(String policy, Origin origin, AdminNetworkPolicy.Rule r, List<IpRange> ipCuts) {
    BitSet matched = new BitSet();
    List<IpRange> ips = new ArrayList<>();
    for (AdminNetworkPolicy.Peer p : r.peers()) {
      if (p.pods() != null) {
        matched.or(select(p.pods()));
      }
      for (String n : p.networks()) {
        ips.add(IpRange.parseCidr(n));
      }
    }
    ipCuts.addAll(ips);
    BitSet byAddress = byAddress(policy, r.name(), origin, ips);
    matched.or(byAddress);
    return new Rule(policy, r.name(), origin, r.action(), r.action().name(), matched, false, ips, r.ports(),
        ExposureScan.clusterWide(r), List.of(), byAddress);
  }

  /**
   * The classes an admin-tier egress rule's address peers ({@code networks}, node addresses) match
   * by their pods' addresses (see {@link PodAddresses}). Pods lying partly inside are matched for
   * none of them and noted; so is a dual-stack class the peers match in one family only.
   */
  BitSet byAddress(String policy, String rule, Origin origin, List<IpRange> ips) {
    BitSet out = new BitSet();
    if (ips.isEmpty()) {
      return out;
    }
    String named = policy + " egress rule \"" + (rule == null ? "" : rule) + "\"";
    for (PeerClass c : classes) {
      if (c.representative != null || c.workloads.isEmpty()) {
        continue;
      }
      List<IpRange> addresses = PodAddresses.addresses(c.workloads.get(0));
      switch (PodAddresses.match(addresses, ips)) {
        case ALL -> {
          out.set(c.index);
          if (addresses.stream().anyMatch(a -> ips.stream().noneMatch(p -> p.family() == a.family()))) {
            notes.add(io.meshwarden.model.Diagnostic.warning("address-peer-one-family", origin, named + " matches "
                + c.displayName() + " by its pods' addresses of one family only: connections to it are listed as the"
                + " rule decides that family; traffic over the other family is not matched by the rule"));
          }
        }
        case PARTIAL -> notes.add(io.meshwarden.model.Diagnostic.warning("address-peer-partial", origin, named
            + " matches some pod addresses of " + c.displayName() + " (" + String.join(", ",
            c.workloads.get(0).podIps()) + ") and not others: its connections are listed as if the rule did not"
            + " match it, though traffic to the addresses inside is matched"));
        case NONE -> { }
        default -> throw new IllegalStateException();
      }
    }
    return out;
  }

  BitSet select(AdminNetworkPolicy.Subject s) {
    BitSet out = new BitSet();
    labels.mark(s.podSelector(), classesOfNamespaces(s.namespaceSelector()), out);
    for (PeerClass c : representatives) {
      Peer.RepresentativePeer rep = c.representative;
      if (SelectorEquality.selects(s.namespaceSelector(), rep.namespaceSelector())
          && (s.podSelector() == null || SelectorEquality.selects(s.podSelector(), rep.podSelector()))) {
        out.set(c.index);
      }
    }
    return out;
  }

  /** Names of policies, for tests and diagnostics. */
  Set<String> policyNames() {
    Set<String> names = new java.util.TreeSet<>();
    networkPolicies.forEach(p -> names.add(p.name));
    adminPolicies.forEach(p -> names.add(p.name));
    baselinePolicies.forEach(p -> names.add(p.name));
    return names;
  }
}
