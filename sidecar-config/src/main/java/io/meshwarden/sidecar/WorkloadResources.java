package io.meshwarden.sidecar;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.Comparator;
import java.util.List;

/**
 * The xDS resources of one workload, sorted by name, with what the translation had to leave out
 * and why ({@code notes}: a dropped peer narrows an ALLOW rule, it never widens one).
 */
public record WorkloadResources(String workloadId, List<Listener> listeners, List<Cluster> clusters,
    List<String> notes) {

  public WorkloadResources {
    listeners = listeners.stream().sorted(Comparator.comparing(Listener::getName)).toList();
    clusters = clusters.stream().sorted(Comparator.comparing(Cluster::getName)).toList();
    notes = List.copyOf(notes);
  }
}
