package io.meshwarden.model;

import java.util.List;
import java.util.Objects;

/**
 * A networking.k8s.io/v1 NetworkPolicy after validation.
 *
 * @param affectsIngress whether the policy isolates selected pods for ingress (policyTypes, explicit
 *     or inferred)
 * @param affectsEgress the same for egress
 */
public record NetworkPolicy(
    String namespace,
    String name,
    LabelSelector podSelector,
    boolean affectsIngress,
    boolean affectsEgress,
    List<Rule> ingress,
    List<Rule> egress,
    Origin origin) {

  public NetworkPolicy {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(podSelector, "podSelector");
    ingress = List.copyOf(ingress);
    egress = List.copyOf(egress);
    Objects.requireNonNull(origin, "origin");
  }

  /** {@code namespace/name}, as reports name policies. */
  public String qualifiedName() {
    return namespace + "/" + name;
  }

  /** Where {@code rule} was written: its own item of {@code ingress}/{@code egress}, or else the policy. */
  public Origin originOf(Rule rule) {
    return rule.origin() != null ? rule.origin() : origin;
  }

  /**
   * One ingress or egress rule. An empty {@code peers} list means every peer (the field was absent
   * or empty); an empty {@code ports} list means every port.
   *
   * @param origin the line of the rule's own list item, so a finding about one rule points at it;
   *     null when only the policy's place is known (objects from the API server carry no lines).
   *     Where a rule was written is not what it says, so equality ignores it.
   */
  public record Rule(List<Peer> peers, List<PolicyPort> ports, Origin origin) {
    public Rule {
      peers = List.copyOf(peers);
      ports = List.copyOf(ports);
    }

    public Rule(List<Peer> peers, List<PolicyPort> ports) {
      this(peers, ports, null);
    }

    /** The same rule, written at {@code where}. */
    public Rule at(Origin where) {
      return new Rule(peers, ports, where);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Rule r && peers.equals(r.peers) && ports.equals(r.ports);
    }

    @Override
    public int hashCode() {
      return Objects.hash(peers, ports);
    }
  }

  /**
   * One {@code from}/{@code to} entry. Exactly one of: an {@code ipBlock}, or at least one of the
   * two selectors. A null selector is absent; an empty one matches everything in its scope.
   */
  public record Peer(LabelSelector podSelector, LabelSelector namespaceSelector, IpBlock ipBlock) {}
}
