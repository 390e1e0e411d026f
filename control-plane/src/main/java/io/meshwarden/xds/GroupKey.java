package io.meshwarden.xds;

import java.util.Objects;

/**
 * The snapshot group of a sidecar: every sidecar of one workload with one service account and one
 * form (Envoy or proxyless gRPC) shares one snapshot.
 *
 * @param workload the workload's name (not the pod's)
 */
public record GroupKey(String namespace, String workload, String serviceAccount, Form form) {

  /** Which resources the node consumes: an Envoy sidecar's inbound listener, or grpc-xds server listeners. */
  public enum Form { ENVOY, GRPC }

  public GroupKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    Objects.requireNonNull(form, "form");
  }

  @Override
  public String toString() {
    return namespace + "/" + workload + " sa=" + serviceAccount + " " + form.name().toLowerCase(java.util.Locale.ROOT);
  }
}
