package io.meshwarden.exposure;

import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.model.Workload;
import java.util.List;
import java.util.Objects;

/**
 * Who a workload is open to beyond the workloads of the input: the entire cluster, pods that
 * policy rules select by labels nobody carries yet (representative peers), and external ranges.
 *
 * @param egress what workloads may send, sorted by workload then peer name
 * @param ingress what workloads may receive, sorted by workload then peer name
 * @param unprotected workload directions no policy selects, sorted by their text
 */
public record ExposureReport(List<Item> egress, List<Item> ingress, List<Unprotected> unprotected) {
  public static final String ENTIRE_CLUSTER = "entire-cluster";

  public ExposureReport {
    egress = List.copyOf(egress);
    ingress = List.copyOf(ingress);
    unprotected = List.copyOf(unprotected);
  }

  public boolean isEmpty() {
    return egress.isEmpty() && ingress.isEmpty() && unprotected.isEmpty();
  }

  /**
   * One exposure of a workload.
   *
   * @param peer the other end: a {@link Peer.RepresentativePeer} or {@link Peer.ExternalPeer}, or
   *     null for the entire cluster
   * @param connection what may pass; for a representative it can be empty, which means the
   *     workload is open to the entire cluster except to (or from) those pods
   */
  public record Item(Workload workload, Peer peer, ConnectionSet connection) {
    public Item {
      Objects.requireNonNull(workload, "workload");
      Objects.requireNonNull(connection, "connection");
    }

    public String workloadName() {
      return new Peer.WorkloadPeer(workload).displayName();
    }

    /** {@code entire-cluster} or the peer's display name. */
    public String peerName() {
      return peer == null ? ENTIRE_CLUSTER : peer.displayName();
    }
  }

  /** A workload direction that no policy of any tier selects: open to everyone. */
  public record Unprotected(Workload workload, boolean ingress) {
    public Unprotected {
      Objects.requireNonNull(workload, "workload");
    }

    @Override
    public String toString() {
      return new Peer.WorkloadPeer(workload).displayName() + " is not protected on " + (ingress ? "Ingress" : "Egress");
    }
  }
}
