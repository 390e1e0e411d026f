package io.meshwarden.traffic;

import java.util.Map;

/**
 * One side of an observed flow as the data source saw it, before it is resolved to a workload.
 * Every field but {@code ip} may be absent (null, or empty labels, or port 0): each source knows
 * different things (Hubble knows pods and labels, Envoy knows addresses, principals and clusters).
 *
 * @param principal the mTLS peer identity when the proxy saw one, e.g. {@code spiffe://td/ns/x/sa/y}
 * @param serviceHost a service name the proxy routed to, e.g. {@code reviews.bookinfo.svc.cluster.local}
 * @param reserved Cilium's reserved identity ({@code world}, {@code host}, {@code kube-apiserver}...), or null
 */
public record Endpoint(
    String ip,
    int port,
    String namespace,
    String podName,
    Map<String, String> labels,
    String serviceAccount,
    String principal,
    String serviceHost,
    String reserved) {

  public Endpoint {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    // One spelling per address, so that "fd00:0:0::5" and an IPv4 peer a dual-stack socket reports
    // as "::ffff:10.0.0.5" find the pod IP the manifests give as "fd00::5" and "10.0.0.5".
    ip = io.meshwarden.model.IpRange.canonicalAddress(ip);
  }

  /** An endpoint known only by address. */
  public static Endpoint ofAddress(String ip, int port) {
    return new Endpoint(ip, port, null, null, Map.of(), null, null, null, null);
  }
}
