package io.meshwarden.sidecar;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.Comparator;
import java.util.List;

/**
 * The xDS resources served to one workload group: listeners (LDS) whose HTTP connection managers
 * name route configurations (RDS) that carry the HTTP RBAC per route, plus local clusters (CDS).
 * Sorted by name; {@code notes} say what the translation left out and why.
 */
public record ServedResources(String workloadId, List<Listener> listeners, List<RouteConfiguration> routes,
    List<Cluster> clusters, List<String> notes) {

  public ServedResources {
    listeners = listeners.stream().sorted(Comparator.comparing(Listener::getName)).toList();
    routes = routes.stream().sorted(Comparator.comparing(RouteConfiguration::getName)).toList();
    clusters = clusters.stream().sorted(Comparator.comparing(Cluster::getName)).toList();
    notes = List.copyOf(notes);
  }

  /** The listener/cluster part, for the checks written for {@link WorkloadResources}. */
  public WorkloadResources listenerPart() {
    return new WorkloadResources(workloadId, listeners, clusters, notes);
  }
}
