package io.meshwarden.connectivity;

import io.meshwarden.model.Workload;
import java.util.Objects;

/** One end of a connection: a workload, an external IP range, or the cluster's ingress controller. */
public sealed interface Peer permits Peer.WorkloadPeer, Peer.ExternalPeer, Peer.IngressControllerPeer {

  /** np-guard's rendering: {@code ns/name[Kind]}, {@code a.b.c.d-e.f.g.h[External]}, {@code {ingress-controller}}. */
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

  /** A range of addresses outside the cluster. */
  record ExternalPeer(IpRange range) implements Peer {
    public ExternalPeer {
      Objects.requireNonNull(range, "range");
    }

    @Override
    public String displayName() {
      return range + "[External]";
    }
  }

  /** The ingress controller that Ingress and Route objects send outside traffic through. */
  record IngressControllerPeer() implements Peer {
    @Override
    public String displayName() {
      return "{ingress-controller}";
    }
  }
}
