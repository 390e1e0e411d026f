package io.meshwarden.model;

import java.util.List;
import java.util.Objects;

/**
 * A policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy, or (with {@code baseline} set and no
 * priority) the cluster's BaselineAdminNetworkPolicy.
 */
public record AdminNetworkPolicy(
    String name,
    boolean baseline,
    int priority,
    Subject subject,
    List<Rule> ingress,
    List<Rule> egress,
    Origin origin) {

  public AdminNetworkPolicy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(subject, "subject");
    ingress = List.copyOf(ingress);
    egress = List.copyOf(egress);
    Objects.requireNonNull(origin, "origin");
  }

  /** What a rule does with the traffic it matches. */
  public enum Action {
    Allow,
    Deny,
    Pass
  }

  /**
   * The pods a policy or a peer selects: pods in namespaces matching {@code namespaceSelector}
   * whose labels match {@code podSelector} (null: all pods of those namespaces).
   */
  public record Subject(LabelSelector namespaceSelector, LabelSelector podSelector) {
    public Subject {
      Objects.requireNonNull(namespaceSelector, "namespaceSelector");
    }
  }

  /**
   * A peer of a rule: pods (a {@link Subject}), or for egress CIDR {@code networks}, or
   * {@code nodes} (which select no pod in our model).
   */
  public record Peer(Subject pods, List<String> networks, LabelSelector nodes) {
    public Peer {
      networks = networks == null ? List.of() : List.copyOf(networks);
    }
  }

  /** One rule; an empty {@code ports} list means all ports. */
  public record Rule(String name, Action action, List<Peer> peers, List<PolicyPort> ports) {
    public Rule {
      Objects.requireNonNull(action, "action");
      peers = List.copyOf(peers);
      ports = List.copyOf(ports);
    }
  }
}
