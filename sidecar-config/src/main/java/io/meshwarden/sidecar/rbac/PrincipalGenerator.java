package io.meshwarden.sidecar.rbac;

import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.synthesis.Peer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one peer into the principals that identify it (one generator per peer kind, Istio's
 * generator.go shape). An empty result means "cannot be expressed": the caller drops the peer.
 */
interface PrincipalGenerator {
  List<Principal> principals(Peer peer, TranslatorOptions options, List<String> notes);

  /** The generator for a peer kind; the one switch over kinds. */
  static PrincipalGenerator forKind(Peer.Kind kind) {
    switch (kind) {
      case WORKLOAD:
        return new WorkloadPrincipal();
      case CIDR:
        return new CidrPrincipal();
      case KUBELET:
        return new KubeletPrincipal();
      case KUBE_DNS:
        return new KubeDnsPrincipal();
      default:
        throw new IllegalArgumentException("unknown peer kind " + kind);
    }
  }

  /** mTLS peers by the SPIFFE id in their certificate (Istio: source.principals). */
  final class WorkloadPrincipal implements PrincipalGenerator {
    @Override
    public List<Principal> principals(Peer peer, TranslatorOptions options, List<String> notes) {
      if (peer.principal() == null || peer.principal().isEmpty()) {
        notes.add("peer " + peer.workloadId() + " has no principal; dropped (plain-text workloads need a CIDR peer)");
        return List.of();
      }
      String p = peer.principal().startsWith("spiffe://") ? peer.principal() : "spiffe://" + peer.principal();
      return List.of(Protos.authenticated(p));
    }
  }

  /** Addresses outside the mesh by the connection's own source address (Istio: source.ipBlocks). */
  final class CidrPrincipal implements PrincipalGenerator {
    @Override
    public List<Principal> principals(Peer peer, TranslatorOptions options, List<String> notes) {
      try {
        return List.of(Protos.directRemoteIp(Protos.cidr(peer.cidr())));
      } catch (RuntimeException e) {
        notes.add("peer CIDR \"" + peer.cidr() + "\" is not a CIDR; dropped");
        return List.of();
      }
    }
  }

  /** The kubelet only when the node ranges are configured; see DESIGN.md. */
  final class KubeletPrincipal implements PrincipalGenerator {
    @Override
    public List<Principal> principals(Peer peer, TranslatorOptions options, List<String> notes) {
      if (options.kubeletCidrs().isEmpty()) {
        notes.add("kubelet probes are not allowed through the sidecar (no kubeletCidrs; probes are expected"
            + " to be rewritten through the mesh agent)");
        return List.of();
      }
      List<Principal> out = new ArrayList<>();
      for (String c : options.kubeletCidrs()) {
        out.addAll(new CidrPrincipal().principals(Peer.cidr(c), options, notes));
      }
      return out;
    }
  }

  /** kube-dns is an egress destination; as an inbound source it means nothing. */
  final class KubeDnsPrincipal implements PrincipalGenerator {
    @Override
    public List<Principal> principals(Peer peer, TranslatorOptions options, List<String> notes) {
      notes.add("kube-dns as an inbound peer is ignored");
      return List.of();
    }
  }
}
