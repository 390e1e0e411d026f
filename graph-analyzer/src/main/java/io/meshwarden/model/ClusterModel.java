package io.meshwarden.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of everything policy analysis needs to know about a cluster. Built by the
 * manifest reader offline or by the live index; analysis only reads it.
 */
public record ClusterModel(
    Map<String, Namespace> namespaces,
    List<Workload> workloads,
    List<Service> services,
    List<ServiceAccount> serviceAccounts,
    List<IngressRoute> ingressRoutes,
    List<NetworkPolicy> networkPolicies,
    List<AdminNetworkPolicy> adminNetworkPolicies,
    Optional<AdminNetworkPolicy> baselineAdminNetworkPolicy,
    List<MeshResource> meshResources,
    Networks networks,
    List<ClusterNetworkPolicy> clusterNetworkPolicies,
    List<ClusterNode> nodes) {

  public ClusterModel {
    namespaces = Map.copyOf(namespaces);
    workloads = List.copyOf(workloads);
    services = List.copyOf(services);
    serviceAccounts = List.copyOf(serviceAccounts);
    ingressRoutes = List.copyOf(ingressRoutes);
    networkPolicies = List.copyOf(networkPolicies);
    adminNetworkPolicies = List.copyOf(adminNetworkPolicies);
    baselineAdminNetworkPolicy = baselineAdminNetworkPolicy == null ? Optional.empty() : baselineAdminNetworkPolicy;
    meshResources = List.copyOf(meshResources);
    networks = networks == null ? Networks.DISABLED : networks;
    clusterNetworkPolicies = clusterNetworkPolicies == null ? List.of() : List.copyOf(clusterNetworkPolicies);
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
  }

  /** A model without ClusterNetworkPolicies or Nodes. */
  public ClusterModel(Map<String, Namespace> namespaces, List<Workload> workloads, List<Service> services,
      List<ServiceAccount> serviceAccounts, List<IngressRoute> ingressRoutes, List<NetworkPolicy> networkPolicies,
      List<AdminNetworkPolicy> adminNetworkPolicies, Optional<AdminNetworkPolicy> baselineAdminNetworkPolicy,
      List<MeshResource> meshResources, Networks networks) {
    this(namespaces, workloads, services, serviceAccounts, ingressRoutes, networkPolicies, adminNetworkPolicies,
        baselineAdminNetworkPolicy, meshResources, networks, List.of(), List.of());
  }

  /** Whether the model holds any cluster-scoped policy (ANP, BANP or ClusterNetworkPolicy). */
  public boolean hasClusterPolicy() {
    return !adminNetworkPolicies.isEmpty() || baselineAdminNetworkPolicy.isPresent()
        || !clusterNetworkPolicies.isEmpty();
  }

  /** The namespace by name; namespaces that objects use but nobody declared have no extra labels. */
  public Namespace namespace(String name) {
    Namespace ns = namespaces.get(name);
    return ns != null ? ns : Namespace.implicit(name);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects objects in any order; {@link #build()} adds implicit namespaces and sorts. */
  public static final class Builder {
    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private final Map<String, Workload> workloads = new LinkedHashMap<>();
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final List<ServiceAccount> serviceAccounts = new ArrayList<>();
    private final List<IngressRoute> ingressRoutes = new ArrayList<>();
    private final Map<String, NetworkPolicy> networkPolicies = new LinkedHashMap<>();
    private final List<AdminNetworkPolicy> adminNetworkPolicies = new ArrayList<>();
    private final List<AdminNetworkPolicy> baselines = new ArrayList<>();
    private final List<MeshResource> meshResources = new ArrayList<>();
    private Networks networks = Networks.DISABLED;
    private final List<ClusterNetworkPolicy> clusterNetworkPolicies = new ArrayList<>();
    private final List<ClusterNode> nodes = new ArrayList<>();

    private Builder() {}

    public Builder namespace(Namespace ns) {
      namespaces.put(ns.name(), ns);
      return this;
    }

    /** Adds a workload; a later one with the same id replaces the earlier (as kubectl apply would). */
    public Optional<Workload> workload(Workload w) {
      return Optional.ofNullable(workloads.put(w.id(), w));
    }

    /** Adds a service; a later one with the same namespace and name replaces the earlier. */
    public Optional<Service> service(Service s) {
      return Optional.ofNullable(services.put(s.namespace() + "/" + s.name(), s));
    }

    public Builder serviceAccount(ServiceAccount sa) {
      serviceAccounts.add(sa);
      return this;
    }

    public Builder ingressRoute(IngressRoute r) {
      ingressRoutes.add(r);
      return this;
    }

    /** Adds a policy; a later one with the same namespace and name replaces the earlier. */
    public Optional<NetworkPolicy> networkPolicy(NetworkPolicy p) {
      return Optional.ofNullable(networkPolicies.put(p.qualifiedName(), p));
    }

    public Builder adminNetworkPolicy(AdminNetworkPolicy p) {
      if (p.baseline()) {
        baselines.add(p);
      } else {
        adminNetworkPolicies.add(p);
      }
      return this;
    }

    public Builder clusterNetworkPolicy(ClusterNetworkPolicy p) {
      clusterNetworkPolicies.add(p);
      return this;
    }

    public Builder node(ClusterNode n) {
      nodes.add(n);
      return this;
    }

    public Builder meshResource(MeshResource r) {
      meshResources.add(r);
      return this;
    }

    public Builder networks(Networks n) {
      networks = n;
      return this;
    }

    public java.util.Collection<Workload> workloads() {
      return workloads.values();
    }

    public List<Service> services() {
      return List.copyOf(services.values());
    }

    public List<AdminNetworkPolicy> baselines() {
      return baselines;
    }

    public Map<String, Namespace> namespaces() {
      return namespaces;
    }

    public ClusterModel build() {
      Map<String, Namespace> all = new LinkedHashMap<>(namespaces);
      workloads.values().forEach(w -> all.computeIfAbsent(w.namespace(), Namespace::implicit));
      services.values().forEach(s -> all.computeIfAbsent(s.namespace(), Namespace::implicit));
      networkPolicies.values().forEach(p -> all.computeIfAbsent(p.namespace(), Namespace::implicit));
      List<Workload> sorted = new ArrayList<>(workloads.values());
      sorted.sort(Comparator.comparing(Workload::namespace).thenComparing(Workload::name)
          .thenComparing(w -> w.kind().name()));
      return new ClusterModel(all, sorted, List.copyOf(services.values()), serviceAccounts, ingressRoutes,
          List.copyOf(networkPolicies.values()),
          adminNetworkPolicies, baselines.isEmpty() ? Optional.empty() : Optional.of(baselines.get(0)),
          meshResources, networks, clusterNetworkPolicies, nodes);
    }
  }
}
