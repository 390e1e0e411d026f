package io.meshwarden.model;

import java.util.List;
import java.util.Objects;

/**
 * A reference to a secondary network by NetworkAttachmentDefinition name: a pod's (or VM's)
 * request to attach to it, or a MultiNetworkPolicy's {@code policy-for} target.
 *
 * @param namespace where the NetworkAttachmentDefinition must be; null for the referrer's own namespace
 * @param ips addresses the attachment asks for (pods: the annotation's {@code ips}; VMs: the
 *     secondary addresses of their cloud-init network data), possibly with a prefix length
 */
public record NetworkRef(String namespace, String name, List<String> ips) {
  public NetworkRef {
    Objects.requireNonNull(name, "name");
    ips = ips == null ? List.of() : List.copyOf(ips);
  }

  /** The namespace the network's NetworkAttachmentDefinition must be in, given the referrer's. */
  public String namespaceOr(String referrerNamespace) {
    return namespace == null || namespace.isEmpty() ? referrerNamespace : namespace;
  }
}
