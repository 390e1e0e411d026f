package io.meshwarden.model;

import java.util.List;
import java.util.Objects;

/**
 * A policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy: one policy of the Admin tier (decided
 * before NetworkPolicy) or the Baseline tier (after it), ordered by {@code priority} inside its
 * tier, lower first.
 */
public record ClusterNetworkPolicy(
    String name,
    Tier tier,
    int priority,
    AdminNetworkPolicy.Subject subject,
    List<Rule> ingress,
    List<Rule> egress,
    Origin origin) {

  public ClusterNetworkPolicy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(subject, "subject");
    ingress = List.copyOf(ingress);
    egress = List.copyOf(egress);
    Objects.requireNonNull(origin, "origin");
  }

  /** How reports name the policy: kind, name and tier. */
  public String displayName() {
    return "ClusterNetworkPolicy " + name + " (" + tier + " tier, priority " + priority + ")";
  }

  /** The two tiers a ClusterNetworkPolicy can sit in. */
  public enum Tier {
    Admin,
    Baseline
  }

  /** What a rule does with the traffic it matches. */
  public enum Action {
    Accept,
    Deny,
    Pass
  }

  /**
   * One peer of a rule; exactly one part is set. {@code unknownFields} holds the fields of a peer
   * that set none of the fields this version knows: such a peer fails closed (see {@link Rule}).
   *
   * @param nodes egress only (experimental channel): the addresses of the Nodes it selects
   * @param domainNames egress only (experimental channel, Accept rules): names, {@code *.} prefix
   *     for any subdomain
   */
  public record Peer(AdminNetworkPolicy.Subject pods, List<String> networks, LabelSelector nodes,
      List<String> domainNames, List<String> unknownFields) {
    public Peer {
      networks = networks == null ? List.of() : List.copyOf(networks);
      domainNames = domainNames == null ? List.of() : List.copyOf(domainNames);
      unknownFields = unknownFields == null ? List.of() : List.copyOf(unknownFields);
    }

    public static Peer pods(AdminNetworkPolicy.Subject pods) {
      return new Peer(Objects.requireNonNull(pods, "pods"), null, null, null, null);
    }

    public static Peer networks(List<String> cidrs) {
      return new Peer(null, cidrs, null, null, null);
    }

    public static Peer nodes(LabelSelector nodes) {
      return new Peer(null, null, Objects.requireNonNull(nodes, "nodes"), null, null);
    }

    public static Peer domainNames(List<String> names) {
      return new Peer(null, null, null, names, null);
    }

    public static Peer unknown(List<String> fields) {
      return new Peer(null, null, null, null, fields);
    }

    /** Whether this peer is of a shape this version does not know. */
    public boolean failsClosed() {
      return !unknownFields.isEmpty();
    }
  }

  /**
   * One rule; rules apply in the order written. An empty {@code protocols} list matches every
   * protocol and port; a named port carries no protocol of its own (it takes the container's).
   * A rule with a peer that {@link Peer#failsClosed() fails closed} matches nothing when it
   * accepts, and denies everything when it denies or passes, as the API asks of implementations
   * that meet a newer CRD.
   *
   * @param origin the line of the rule's own list item
   */
  public record Rule(String name, Action action, List<Peer> peers, List<PolicyPort> protocols, Origin origin) {
    public Rule {
      Objects.requireNonNull(action, "action");
      peers = List.copyOf(peers);
      protocols = List.copyOf(protocols);
      Objects.requireNonNull(origin, "origin");
    }

    /** Whether a peer of this rule is of an unknown shape. */
    public boolean failsClosed() {
      return peers.stream().anyMatch(Peer::failsClosed);
    }
  }
}
