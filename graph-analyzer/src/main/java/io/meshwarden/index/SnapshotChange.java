package io.meshwarden.index;

import java.util.Set;

/**
 * What one publication changed. {@code specNamespaces} had a policy-relevant object change
 * (workload labels, ports or service account, a Service, a NetworkPolicy, ...);
 * {@code statusNamespaces} only had pods come and go. {@code clusterScoped} means a Namespace's
 * labels or an admin policy changed, which any namespace's policy may depend on.
 */
public record SnapshotChange(ClusterSnapshot previous, ClusterSnapshot current, Set<String> specNamespaces,
    Set<String> statusNamespaces, boolean clusterScoped) {
  public SnapshotChange {
    specNamespaces = Set.copyOf(specNamespaces);
    statusNamespaces = Set.copyOf(statusNamespaces);
  }

  /** Whether anything policy decides on changed: connectivity computed before is stale. */
  public boolean policyChanged() {
    return clusterScoped || !specNamespaces.isEmpty();
  }

  /** Whether the publication touched {@code namespace} at all. */
  public boolean touches(String namespace) {
    return clusterScoped || specNamespaces.contains(namespace) || statusNamespaces.contains(namespace);
  }
}
