package io.meshwarden.index;

import io.meshwarden.ingest.manifest.Converted;
import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.ClusterNetworkPolicy;
import io.meshwarden.model.ClusterNode;
import io.meshwarden.model.MeshResource;
import io.meshwarden.model.Namespace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cluster-scoped objects: Namespaces (whose labels namespace selectors read), Nodes (which
 * ClusterNetworkPolicy {@code nodes} peers select) and admin and cluster network policies.
 * Any change here may change policy in every namespace. Owned by the index's writer.
 */
final class ClusterScope {
  final Map<ObjectKey, Entry> entries = new HashMap<>();
  boolean dirty;
  Map<String, Namespace> declared = Map.of();
  List<AdminNetworkPolicy> adminPolicies = List.of();
  List<ClusterNetworkPolicy> clusterPolicies = List.of();
  List<ClusterNode> nodes = List.of();
  List<MeshResource> meshResources = List.of();
  List<Diagnostic> diagnostics = List.of();

  /** Rebuilds from the entries; returns whether anything policy or diagnostics show changed. */
  boolean rebuild() {
    Map<String, Namespace> ns = new TreeMap<>();
    List<AdminNetworkPolicy> admin = new ArrayList<>();
    List<ClusterNetworkPolicy> cnps = new ArrayList<>();
    List<ClusterNode> nodeList = new ArrayList<>();
    List<MeshResource> mesh = new ArrayList<>();
    List<Diagnostic> diags = new ArrayList<>();
    List<ObjectKey> keys = new ArrayList<>(entries.keySet());
    keys.sort(Comparator.comparing(ObjectKey::kind).thenComparing(ObjectKey::name));
    Map<Integer, ObjectKey> priorities = new HashMap<>();
    for (ObjectKey k : keys) {
      Entry e = entries.get(k);
      diags.addAll(e.diagnostics());
      if (e.good() instanceof Converted.NamespaceObject n) {
        ns.put(n.namespace().name(), n.namespace());
      } else if (e.good() instanceof Converted.AdminPolicyObject a) {
        AdminNetworkPolicy p = a.policy();
        if (!p.baseline()) {
          ObjectKey other = priorities.putIfAbsent(p.priority(), k);
          if (other != null) {
            diags.add(new Diagnostic(k, "priority-conflict", Diagnostic.Severity.WARNING, p.origin(),
                "AdminNetworkPolicies " + other.name() + " and " + p.name() + " have the same priority "
                    + p.priority() + "; which one wins is undefined"));
          }
        }
        admin.add(p);
      } else if (e.good() instanceof Converted.ClusterPolicyObject c) {
        // Equal priorities in a tier are legal here; the ambiguity is a finding, not an error.
        cnps.add(c.policy());
      } else if (e.good() instanceof Converted.NodeObject n) {
        nodeList.add(n.node());
      } else if (e.good() instanceof Converted.MeshObject m) {
        mesh.add(m.resource());
      }
    }
    boolean changed = !ns.equals(declared) || !admin.equals(adminPolicies) || !cnps.equals(clusterPolicies)
        || !nodeList.equals(nodes) || !mesh.equals(meshResources) || !diags.equals(diagnostics);
    declared = Map.copyOf(ns);
    adminPolicies = List.copyOf(admin);
    clusterPolicies = List.copyOf(cnps);
    nodes = List.copyOf(nodeList);
    meshResources = List.copyOf(mesh);
    diagnostics = List.copyOf(diags);
    return changed;
  }
}
