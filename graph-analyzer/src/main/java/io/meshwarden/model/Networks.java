package io.meshwarden.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The OVN-Kubernetes multi-network configuration of a cluster, resolved: which namespaces are on a
 * primary user-defined network instead of the pod network, the secondary networks that
 * NetworkAttachmentDefinitions provide, and the MultiNetworkPolicies that govern them.
 *
 * @param enabled whether multi-network analysis was asked for; when not, every pod is on the pod
 *     network and the other fields are empty
 * @param primaryByNamespace namespaces on a primary (C)UDN; absent namespaces are on the pod network
 */
public record Networks(
    boolean enabled,
    Map<String, PrimaryNetwork> primaryByNamespace,
    List<NetworkAttachment> attachments,
    List<MultiNetworkPolicy> multiNetworkPolicies) {

  public static final Networks DISABLED = new Networks(false, Map.of(), List.of(), List.of());

  public Networks {
    primaryByNamespace = Map.copyOf(primaryByNamespace);
    attachments = List.copyOf(attachments);
    multiNetworkPolicies = List.copyOf(multiNetworkPolicies);
  }

  /** The namespace's primary network, or null for the pod network. */
  public PrimaryNetwork primary(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    return primaryByNamespace.get(namespace);
  }
}
