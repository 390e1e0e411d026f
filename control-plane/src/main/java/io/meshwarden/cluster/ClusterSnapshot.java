package io.meshwarden.cluster;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Workload;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One published cluster state: the model and an index of pod IPs to the workload that owns them.
 * Immutable; safe to share between any number of readers.
 *
 * @param version increases with every publication of a source
 */
public record ClusterSnapshot(long version, ClusterModel model, Map<String, Workload> podIps) {

  public ClusterSnapshot {
    Objects.requireNonNull(model, "model");
    podIps = Map.copyOf(podIps);
  }

  /**
   * The snapshot of a model whose workloads list their pod IPs. An address that two workloads claim
   * belongs to neither: a flow to it cannot prove whose it is.
   */
  public static ClusterSnapshot of(long version, ClusterModel model) {
    Map<String, Workload> byIp = new HashMap<>();
    Set<String> contested = new HashSet<>();
    for (Workload w : model.workloads()) {
      for (String ip : w.podIps()) {
        Workload before = byIp.putIfAbsent(ip, w);
        if (before != null && before != w) {
          contested.add(ip);
        }
      }
    }
    contested.forEach(byIp::remove);
    return new ClusterSnapshot(version, model, byIp);
  }

  /** The workload whose pod has (or recently had) this address. */
  public Optional<Workload> workloadAt(String ip) {
    return ip == null ? Optional.empty() : Optional.ofNullable(podIps.get(ip));
  }
}
