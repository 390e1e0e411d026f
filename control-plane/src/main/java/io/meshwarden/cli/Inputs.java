package io.meshwarden.cli;

import io.meshwarden.finding.EditDistance;
import io.meshwarden.ingest.manifest.LoadResult;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.MeshResource;
import io.meshwarden.model.Workload;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Loading shared by the commands: manifests, optionally with a policy set laid over them. */
final class Inputs {
  private Inputs() {}

  /**
   * Loads the manifests of {@code options}; with {@code policies}, those are read after them, so a
   * proposed policy replaces a same-named one. With {@code replace}, the manifests' own policies
   * (NetworkPolicy, AdminNetworkPolicy, ClusterNetworkPolicy, AuthorizationPolicy) are dropped first and only the proposal
   * counts. {@code --keep-going} applies to both; what loading reported goes to {@code diagnostics}.
   */
  static ClusterModel load(ManifestOptions options, List<String> policies, boolean replace, InputStream stdin,
      Diagnostics diagnostics) throws ManifestException {
    if (!replace || policies.isEmpty()) {
      List<String> all = new ArrayList<>(options.paths);
      all.addAll(policies);
      return loaded(loader(options, stdin).load(all), diagnostics);
    }
    return replacePolicies(base(options, stdin, diagnostics), policies, options, stdin, diagnostics);
  }

  /**
   * The manifests of {@code options} read once, for commands that put several policy sets on the
   * same workloads ({@link #replacePolicies}); their own policies are dropped there.
   */
  static ClusterModel base(ManifestOptions options, InputStream stdin, Diagnostics diagnostics)
      throws ManifestException {
    LoadResult baseResult = loader(options, stdin).load(options.paths);
    // The manifests' own policies are dropped: whether any policy is left is the proposal's to say.
    diagnostics.report(baseResult, d -> !d.code().equals(ManifestLoader.NO_NETWORK_POLICY));
    return baseResult.model();
  }

  /** {@code base} with its policies (all four kinds) replaced by those read from {@code policies}. */
  static ClusterModel replacePolicies(ClusterModel base, List<String> policies, ManifestOptions options,
      InputStream stdin, Diagnostics diagnostics) throws ManifestException {
    ClusterModel proposal = loaded(loader(options, stdin).load(policies), diagnostics);
    List<MeshResource> mesh = new ArrayList<>(base.meshResources().stream()
        .filter(r -> !r.kind().equals("AuthorizationPolicy")).toList());
    mesh.addAll(proposal.meshResources());
    return new ClusterModel(base.namespaces(), base.workloads(), base.services(), base.serviceAccounts(),
        base.ingressRoutes(), proposal.networkPolicies(), proposal.adminNetworkPolicies(),
        proposal.baselineAdminNetworkPolicy(), mesh, base.networks(), proposal.clusterNetworkPolicies(), base.nodes());
  }

  private static ManifestLoader loader(ManifestOptions options, InputStream stdin) {
    return new ManifestLoader(options.keepGoing, stdin).defaultNamespace(options.namespace);
  }

  private static ClusterModel loaded(LoadResult r, Diagnostics diagnostics) {
    diagnostics.report(r);
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

  /**
   * The workload whose name is nearest to a reference that names none, as {@code ns/name[Kind]},
   * when it is near enough to be a typo (an edit distance of at most a third of the name, at least
   * 2); empty otherwise.
   */
  static Optional<String> nearest(ClusterModel m, String ref) {
    String wanted = ref.toLowerCase(java.util.Locale.ROOT);
    Workload best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Workload w : m.workloads()) {
      String candidate = wanted.contains("/") ? w.namespace() + "/" + w.name() : w.name();
      int d = EditDistance.typing(wanted, candidate.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance || (d == bestDistance && best != null && w.id().compareTo(best.id()) < 0)) {
        best = w;
        bestDistance = d;
      }
    }
    if (best == null || bestDistance > Math.max(2, ref.length() / 3)) {
      return Optional.empty();
    }
    return Optional.of(best.namespace() + "/" + best.name() + "[" + best.kind() + "]");
  }

  /** A reference that names more than one workload. */
  static final class AmbiguousException extends Exception {
    private static final long serialVersionUID = 1L;

    AmbiguousException(String message) {
      super(message);
    }
  }
}
