package io.meshwarden.cli;

import io.meshwarden.ingest.manifest.LoadResult;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.MeshResource;
import io.meshwarden.model.Workload;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Loading shared by the commands: manifests, optionally with a policy set laid over them. */
final class Inputs {
  private Inputs() {}

  /**
   * Loads {@code manifests}; with {@code policies}, those are read after them, so a proposed
   * policy replaces a same-named one. With {@code replace}, the manifests' own policies (NetworkPolicy,
   * AdminNetworkPolicy, AuthorizationPolicy) are dropped first and only the proposal counts.
   */
  static ClusterModel load(List<String> manifests, List<String> policies, boolean replace, String namespace,
      boolean keepGoing, InputStream stdin, PrintWriter err, boolean quiet) throws ManifestException {
    if (!replace || policies.isEmpty()) {
      List<String> all = new ArrayList<>(manifests);
      all.addAll(policies);
      return loaded(new ManifestLoader(keepGoing, stdin).defaultNamespace(namespace).load(all), err, quiet);
    }
    ClusterModel base = loaded(new ManifestLoader(keepGoing, stdin).defaultNamespace(namespace).load(manifests), err,
        quiet);
    ClusterModel proposal = loaded(new ManifestLoader(keepGoing, stdin).defaultNamespace(namespace).load(policies), err,
        quiet);
    List<MeshResource> mesh = new ArrayList<>(base.meshResources().stream()
        .filter(r -> !r.kind().equals("AuthorizationPolicy")).toList());
    mesh.addAll(proposal.meshResources());
    return new ClusterModel(base.namespaces(), base.workloads(), base.services(), base.serviceAccounts(),
        base.ingressRoutes(), proposal.networkPolicies(), proposal.adminNetworkPolicies(),
        proposal.baselineAdminNetworkPolicy(), mesh, base.networks());
  }

  private static ClusterModel loaded(LoadResult r, PrintWriter err, boolean quiet) {
    if (!quiet) {
      Diagnostics.print(err, r);
    }
    return r.model();
  }

  /** Finds a workload by {@code name}, {@code namespace/name} or {@code namespace/Kind/name}. */
  static Optional<Workload> workload(ClusterModel m, String ref) throws AmbiguousException {
    List<Workload> hits = m.workloads().stream().filter(w -> w.name().equals(ref)
        || (w.namespace() + "/" + w.name()).equals(ref) || w.id().equals(ref)).toList();
    if (hits.size() > 1) {
      throw new AmbiguousException("\"" + ref + "\" names " + hits.size() + " workloads ("
          + String.join(", ", hits.stream().map(Workload::id).toList()) + "); use namespace/Kind/name");
    }
    return hits.stream().findFirst();
  }

  /** A reference that names more than one workload. */
  static final class AmbiguousException extends Exception {
    private static final long serialVersionUID = 1L;

    AmbiguousException(String message) {
      super(message);
    }
  }
}
