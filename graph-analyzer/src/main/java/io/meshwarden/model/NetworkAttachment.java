package io.meshwarden.model;

import java.util.Objects;

/**
 * A k8s.cni.cncf.io/v1 NetworkAttachmentDefinition: it makes the secondary network of its name
 * available to the pods of its namespace. Definitions of one name in several namespaces are one
 * network, shared by all of them.
 */
public record NetworkAttachment(String namespace, String name, Origin origin) {
  public NetworkAttachment {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(origin, "origin");
  }
}
