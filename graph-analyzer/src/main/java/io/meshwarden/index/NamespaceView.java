package io.meshwarden.index;

import io.meshwarden.model.IngressRoute;
import io.meshwarden.model.MeshResource;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.Service;
import io.meshwarden.model.ServiceAccount;
import io.meshwarden.model.Workload;
import java.util.List;
import java.util.Map;

/**
 * One namespace as published: its policy-relevant objects (spec) apart from what pod churn
 * changes (status). Immutable. Two views with equal spec parts mean no policy changed there.
 *
 * @param workloads workloads with spec only: {@code replicas} 0 and no pod IPs (those are status)
 * @param status per workload id, its pods now
 */
record NamespaceView(
    String name,
    List<Workload> workloads,
    List<Service> services,
    List<ServiceAccount> serviceAccounts,
    List<IngressRoute> ingressRoutes,
    List<NetworkPolicy> networkPolicies,
    List<MeshResource> meshResources,
    Map<String, WorkloadStatus> status,
    List<Diagnostic> diagnostics) {

  NamespaceView {
    workloads = List.copyOf(workloads);
    services = List.copyOf(services);
    serviceAccounts = List.copyOf(serviceAccounts);
    ingressRoutes = List.copyOf(ingressRoutes);
    networkPolicies = List.copyOf(networkPolicies);
    meshResources = List.copyOf(meshResources);
    status = Map.copyOf(status);
    diagnostics = List.copyOf(diagnostics);
  }

  static NamespaceView empty(String name) {
    return new NamespaceView(name, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Map.of(),
        List.of());
  }

  /** Whether policy sees the same objects in both. */
  boolean sameSpec(NamespaceView o) {
    return workloads.equals(o.workloads) && services.equals(o.services) && serviceAccounts.equals(o.serviceAccounts)
        && ingressRoutes.equals(o.ingressRoutes) && networkPolicies.equals(o.networkPolicies)
        && meshResources.equals(o.meshResources);
  }

  boolean isEmpty() {
    return workloads.isEmpty() && services.isEmpty() && serviceAccounts.isEmpty() && ingressRoutes.isEmpty()
        && networkPolicies.isEmpty() && meshResources.isEmpty() && diagnostics.isEmpty();
  }
}
