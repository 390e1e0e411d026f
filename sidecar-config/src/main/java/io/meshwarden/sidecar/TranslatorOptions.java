package io.meshwarden.sidecar;

import java.util.List;
import java.util.Objects;

/**
 * Settings of the Envoy translations that the intent model cannot know.
 *
 * @param kubeletCidrs the node addresses kubelet probes come from; empty (the default) means probes
 *     do not pass the sidecar (Istio rewrites them through its agent), so KUBELET peers grant nothing.
 *     See DESIGN.md.
 * @param inboundPort the port iptables redirects inbound traffic to (Istio: 15006)
 * @param localAddress where the application listens inside the pod
 * @param shadowStatPrefix prefix of the dry-run (shadow rules) statistics
 */
public record TranslatorOptions(List<String> kubeletCidrs, int inboundPort, String localAddress,
    String shadowStatPrefix) {

  /** Istio's conventions, no kubelet CIDR. */
  public static final TranslatorOptions DEFAULTS = new TranslatorOptions(List.of(), 15006, "127.0.0.1",
      "meshwarden_dry_run_");

  public TranslatorOptions {
    kubeletCidrs = List.copyOf(kubeletCidrs);
    if (inboundPort < 1 || inboundPort > 65535) {
      throw new IllegalArgumentException("inboundPort " + inboundPort + " out of range");
    }
    Objects.requireNonNull(localAddress, "localAddress");
    Objects.requireNonNull(shadowStatPrefix, "shadowStatPrefix");
  }

  /** These options with the given node CIDRs for kubelet probes. */
  public TranslatorOptions withKubeletCidrs(List<String> cidrs) {
    return new TranslatorOptions(cidrs, inboundPort, localAddress, shadowStatPrefix);
  }
}
