package io.meshwarden.index;

import io.meshwarden.model.WorkloadKind;
import java.time.Instant;
import java.util.Objects;

/**
 * Who held a pod IP and when: the workload (after following owner references), the pod, and the
 * time the index saw the address assigned and released ({@code until} null while it is held).
 */
public record IpOwner(String ip, String namespace, WorkloadKind kind, String workload, String pod, Instant since,
    Instant until) {
  public IpOwner {
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(since, "since");
  }

  /** The workload id {@code namespace/kind/name}, as {@link io.meshwarden.model.Workload#id()}. */
  public String workloadId() {
    return namespace + "/" + kind + "/" + workload;
  }

  /** Whether the address is still held. */
  public boolean live() {
    return until == null;
  }

  /** Whether the address was held by this owner at {@code at}. */
  boolean covers(Instant at) {
    return !at.isBefore(since) && (until == null || !at.isAfter(until));
  }

  IpOwner releasedAt(Instant when) {
    return new IpOwner(ip, namespace, kind, workload, pod, since, when);
  }
}
