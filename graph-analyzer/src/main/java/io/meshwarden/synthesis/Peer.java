package io.meshwarden.synthesis;

import java.util.Map;
import java.util.Objects;

/**
 * A peer of a generated rule, in the terms every translator can express: a workload (by its
 * namespace, pod labels and SPIFFE principal), a CIDR, or a well-known system peer.
 *
 * @param kind what sort of peer
 * @param namespace the workload's namespace (WORKLOAD), or null
 * @param podLabels the workload's pod labels (WORKLOAD), or empty
 * @param principal the SPIFFE id without scheme, Istio style {@code cluster.local/ns/x/sa/y} (WORKLOAD)
 * @param cidr for CIDR peers, e.g. {@code 203.0.113.0/24} or {@code 0.0.0.0/0}
 * @param workloadId the workload's id (WORKLOAD), for provenance and review
 */
public record Peer(Kind kind, String namespace, Map<String, String> podLabels, String principal, String cidr,
    String workloadId) implements Comparable<Peer> {

  /** Kinds of peers. */
  public enum Kind {
    /** A workload inside the mesh, known by labels and (with mTLS) by principal. */
    WORKLOAD,
    /** Addresses outside the cluster. */
    CIDR,
    /** The node's kubelet, for liveness and readiness probes. */
    KUBELET,
    /** kube-dns / CoreDNS in kube-system (egress only). */
    KUBE_DNS
  }

  public Peer {
    Objects.requireNonNull(kind, "kind");
    podLabels = podLabels == null ? Map.of() : Map.copyOf(podLabels);
  }

  public static Peer workload(String workloadId, String namespace, Map<String, String> podLabels, String principal) {
    return new Peer(Kind.WORKLOAD, namespace, podLabels, principal, null, workloadId);
  }

  public static Peer cidr(String cidr) {
    return new Peer(Kind.CIDR, null, Map.of(), null, cidr, null);
  }

  public static final Peer KUBELET = new Peer(Kind.KUBELET, null, Map.of(), null, null, null);
  public static final Peer KUBE_DNS = new Peer(Kind.KUBE_DNS, "kube-system", Map.of("k8s-app", "kube-dns"), null, null,
      null);

  /** A stable sort key: kind, then workload id or cidr. */
  public String key() {
    return kind + ":" + (workloadId != null ? workloadId : cidr != null ? cidr : "");
  }

  @Override
  public int compareTo(Peer o) {
    // Same order as key(), without building strings: peers are sorted once per rule, millions of times.
    int c = kind.name().compareTo(o.kind.name());
    if (c != 0) {
      return c;
    }
    String a = workloadId != null ? workloadId : cidr != null ? cidr : "";
    String b = o.workloadId != null ? o.workloadId : o.cidr != null ? o.cidr : "";
    return a.compareTo(b);
  }
}
