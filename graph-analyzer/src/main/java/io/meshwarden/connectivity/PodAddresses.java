package io.meshwarden.connectivity;

import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.ClusterNetworkPolicy;
import io.meshwarden.model.ClusterNode;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pod addresses against the address peers of the admin tiers. The API says of {@code networks}
 * (AdminNetworkPolicy v1alpha1 and ClusterNetworkPolicy v1alpha2 alike) that "cluster-internal
 * traffic will be checked against the rule as well. So if you Accept or Deny traffic to
 * 0.0.0.0/0, that will allow or deny all IPv4 pod-to-pod traffic as well": such a peer matches a
 * pod by its address. A {@code nodes} peer stands for node addresses, which is where
 * host-network pods listen. NetworkPolicy ipBlocks are not read this way (np-guard and the
 * NetworkPolicy documentation treat them as cluster-external).
 *
 * <p>Policy works on whole workloads, so two workloads are told apart only when their addresses
 * fall differently among these ranges ({@link #signature}), and a workload matches a peer when
 * every address it has of a family the peer names lies inside; one whose pods lie partly inside
 * matches it for none of them, and the analysis says so.
 */
final class PodAddresses {
  private final List<IpRange> ranges;

  private PodAddresses(List<IpRange> ranges) {
    this.ranges = ranges;
  }

  /** The address peers of every admin-tier egress rule of the model (networks, and node addresses). */
  static PodAddresses of(ClusterModel model) {
    List<IpRange> out = new ArrayList<>();
    List<AdminNetworkPolicy> anps = new ArrayList<>(model.adminNetworkPolicies());
    model.baselineAdminNetworkPolicy().ifPresent(anps::add);
    for (AdminNetworkPolicy a : anps) {
      a.egress().forEach(r -> r.peers().forEach(p -> p.networks().forEach(n -> addCidr(n, out))));
    }
    boolean nodes = false;
    for (ClusterNetworkPolicy c : model.clusterNetworkPolicies()) {
      for (ClusterNetworkPolicy.Rule r : c.egress()) {
        for (ClusterNetworkPolicy.Peer p : r.peers()) {
          p.networks().forEach(n -> addCidr(n, out));
          nodes |= p.nodes() != null;
        }
      }
    }
    if (nodes) {
      for (ClusterNode n : model.nodes()) {
        n.addresses().forEach(a -> addAddress(a, out));
      }
    }
    return new PodAddresses(List.copyOf(new TreeSet<>(out)));
  }

  /** Whether any rule could match a pod by its address. */
  boolean any() {
    return !ranges.isEmpty();
  }

  /**
   * What tells this workload apart from others with the same labels: for each of its addresses,
   * which of the ranges hold it. Empty when the model has no address peers (the class key is then
   * what it always was).
   */
  String signature(Workload w) {
    if (ranges.isEmpty() || w.podIps().isEmpty()) {
      return "";
    }
    Set<String> masks = new TreeSet<>();
    for (IpRange a : addresses(w)) {
      BitSet in = new BitSet();
      for (int i = 0; i < ranges.size(); i++) {
        if (ranges.get(i).contains(a)) {
          in.set(i);
        }
      }
      masks.add(a.family() + in.toString());
    }
    return "\u0000addr" + masks;
  }

  /** A workload's pod addresses; an address that cannot be read is left out. */
  static List<IpRange> addresses(Workload w) {
    List<IpRange> out = new ArrayList<>();
    for (String ip : w.podIps()) {
      addAddress(ip, out);
    }
    return out;
  }

  /** How a workload's addresses fall against a rule's address peers. */
  enum Match {
    /** No address of a family the peers name: the rule does not see the workload by address. */
    NONE,
    /** Every address of each family the peers name lies inside. */
    ALL,
    /** Some addresses lie inside, some outside. */
    PARTIAL
  }

  static Match match(List<IpRange> addresses, List<IpRange> peers) {
    Set<IpRange.Family> families = EnumSet.noneOf(IpRange.Family.class);
    peers.forEach(p -> families.add(p.family()));
    int relevant = 0;
    int inside = 0;
    for (IpRange a : addresses) {
      if (!families.contains(a.family())) {
        continue;
      }
      relevant++;
      if (peers.stream().anyMatch(p -> p.contains(a))) {
        inside++;
      }
    }
    return inside == 0 ? Match.NONE : inside == relevant ? Match.ALL : Match.PARTIAL;
  }

  private static void addCidr(String cidr, List<IpRange> out) {
    try {
      out.add(IpRange.parseCidr(cidr));
    } catch (IllegalArgumentException invalid) {
      // The loader reports an invalid CIDR (or skips it under --keep-going); it matches nothing.
    }
  }

  private static void addAddress(String address, List<IpRange> out) {
    try {
      out.add(IpRange.parseAddress(address));
    } catch (IllegalArgumentException invalid) {
      // A malformed address is not analysed.
    }
  }
}
