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

  /**
   * One ingress or egress rule. An empty {@code peers} list means every peer (the field was absent
   * or empty); an empty {@code ports} list means every port.
   */
  public record Rule(List<Peer> peers, List<PolicyPort> ports) {
    public Rule {
      peers = List.copyOf(peers);
      ports = List.copyOf(ports);
    }
  }

  /**
   * One {@code from}/{@code to} entry. Exactly one of: an {@code ipBlock}, or at least one of the
   * two selectors. A null selector is absent; an empty one matches everything in its scope.
   */
  public record Peer(LabelSelector podSelector, LabelSelector namespaceSelector, IpBlock ipBlock) {}
}
