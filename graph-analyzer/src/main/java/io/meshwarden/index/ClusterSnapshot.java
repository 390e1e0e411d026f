package io.meshwarden.index;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One published state of the live index. Immutable: any number of readers use it without locks.
 *
 * <p>{@link #model()} is the policy view: workloads carry spec only ({@code replicas} 0, no pod
 * IPs), and it is the very same instance from one snapshot to the next while no policy-relevant
 * object changed, so pod churn leaves it (and whatever a reader computed from it) untouched.
 * Pods live in {@link #status(Workload)} and {@link #podIps()}.
 *
 * @param version increases by one with every publication
 * @param namespaceVersions per namespace, the version of the snapshot that last changed it
 */
public record ClusterSnapshot(
    long version,
    ClusterModel model,
    Map<String, Map<String, WorkloadStatus>> statusByNamespace,
    PodIpIndex podIps,
    List<Diagnostic> diagnostics,
    Map<String, Long> namespaceVersions) {

  public ClusterSnapshot {
    Objects.requireNonNull(model, "model");
    statusByNamespace = Map.copyOf(statusByNamespace);
    Objects.requireNonNull(podIps, "podIps");
    diagnostics = List.copyOf(diagnostics);
    namespaceVersions = Map.copyOf(namespaceVersions);
  }

  /** The pods a workload runs now. */
  public WorkloadStatus status(Workload w) {
    Map<String, WorkloadStatus> ns = statusByNamespace.get(w.namespace());
    WorkloadStatus s = ns == null ? null : ns.get(w.id());
    return s == null ? WorkloadStatus.NONE : s;
  }

  /** The version of the snapshot that last changed {@code namespace}, 0 if none did. */
  public long namespaceVersion(String namespace) {
    return namespaceVersions.getOrDefault(namespace, 0L);
  }

  /**
   * The model with each workload's current pod count and pod IPs filled in, for stages that
   * resolve addresses from the model (the offline traffic resolver). Built anew on each call.
   */
  public ClusterModel modelWithStatus() {
    List<Workload> out = new ArrayList<>(model.workloads().size());
    for (Workload w : model.workloads()) {
      WorkloadStatus s = status(w);
      out.add(new Workload(w.namespace(), w.kind(), w.name(), w.podLabels(), w.containers(), w.serviceAccount(),
          w.hostNetwork(), s.pods(), s.podIps(), w.origin(), w.secondaryNetworks()));
    }
    return new ClusterModel(model.namespaces(), out, model.services(), model.serviceAccounts(), model.ingressRoutes(),
        model.networkPolicies(), model.adminNetworkPolicies(), model.baselineAdminNetworkPolicy(),
        model.meshResources(), model.networks(), model.clusterNetworkPolicies(), model.nodes());
  }

  @Override
  public String toString() {
    return "ClusterSnapshot[version=" + version + ", workloads=" + model.workloads().size() + ", diagnostics="
        + diagnostics.size() + "]";
  }
}
