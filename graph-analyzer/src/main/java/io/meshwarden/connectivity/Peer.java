package io.meshwarden.connectivity;

import io.meshwarden.model.IpRange;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.Workload;
import java.util.Objects;

/**
 * One end of a connection: a workload, an external IP range, the cluster's ingress controller, or
 * (in exposure analysis) a representative of pods that policy rules name but the input lacks.
 */
public sealed interface Peer
    permits Peer.WorkloadPeer, Peer.ExternalPeer, Peer.IngressControllerPeer, Peer.RepresentativePeer {

  /** np-guard's rendering: {@code ns/name[Kind]}, {@code a.b.c.d-e.f.g.h[External]} (IPv6 alike, {@code fd00::-fdff:...[External]}), {@code {ingress-controller}}. */
  String displayName();

  /** A workload (all its pods behave the same). */
  record WorkloadPeer(Workload workload) implements Peer {
    public WorkloadPeer {
      Objects.requireNonNull(workload, "workload");
    }

    @Override
    public String displayName() {
      return workload.namespace() + "/" + workload.name() + "[" + workload.kind() + "]";
    }
  }

  /**
   * A range of addresses outside the cluster.
   *
   * @param name the DNS name the destination was observed by (a flow's authority, SNI or Hubble
   *     destination name), which ClusterNetworkPolicy {@code domainNames} decide; null when only
   *     addresses are known
   */
  record ExternalPeer(IpRange range, String name) implements Peer {
    public ExternalPeer {
      Objects.requireNonNull(range, "range");
    }

    public ExternalPeer(IpRange range) {
      this(range, null);
    }

    @Override
    public String displayName() {
      return (name != null ? name : range.toString()) + "[External]";
    }
  }

  /** The ingress controller that Ingress and Route objects send outside traffic through. */
  record IngressControllerPeer() implements Peer {
    @Override
    public String displayName() {
      return "{ingress-controller}";
    }
  }

  /**
   * Any pod a policy rule could select, described by the rule's selectors rather than by labels:
   * exposure analysis asks what a workload would allow to and from such pods once they exist.
   *
   * @param namespace the namespace when the rule implies one (a NetworkPolicy rule without a
   *     namespace selector), else null
   * @param namespaceSelector never null; a NetworkPolicy's own namespace is expressed by its name label
   * @param podSelector null or empty for all pods
   */
  record RepresentativePeer(String namespace, LabelSelector namespaceSelector, LabelSelector podSelector)
      implements Peer {
    public RepresentativePeer {
      Objects.requireNonNull(namespaceSelector, "namespaceSelector");
    }

    /** np-guard's rendering, such as {@code [all namespaces]/[pod with {k8s-app=kube-dns}]}. */
    @Override
    public String displayName() {
      return SelectorText.namespacePart(namespaceSelector) + "/" + SelectorText.podPart(podSelector);
    }
  }
}
