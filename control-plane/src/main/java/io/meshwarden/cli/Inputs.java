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
    try (SideBySide workers = new SideBySide(1)) {
      List<Pending> read = read(workers, options, stdin, List.of(options.paths, policies));
      return replacePolicies(base(read.get(0), diagnostics), read.get(1), diagnostics);
    }
  }

  /** A load running on a worker or yet to run here; {@link #get} returns it or throws what it threw. */
  @FunctionalInterface
  interface Pending {
    LoadResult get() throws ManifestException;
  }

  /**
   * Starts reading each of {@code pathSets} with the options' loader settings. Every set but the
   * first is read on a worker while the caller reads the first (each read is a pure function of its
   * files, and a cold parse is most of a command's time); when more than one set reads stdin, they
   * are read one after the other, in order, as the caller asks for them. Ask for the results in
   * order, reporting each before asking for the next, and diagnostics and the error a command
   * prints are those of a sequential read.
   */
  static List<Pending> read(SideBySide workers, ManifestOptions options, InputStream stdin,
      List<List<String>> pathSets) {
    boolean sequential = pathSets.stream().filter(s -> s.contains("-")).count() > 1;
    List<Pending> out = new ArrayList<>();
    for (int i = 0; i < pathSets.size(); i++) {
      List<String> paths = pathSets.get(i);
      if (sequential || i == 0) {
        out.add(() -> loader(options, stdin).load(paths));
      } else {
        java.util.concurrent.Future<LoadResult> f = workers.start(() -> loader(options, stdin).load(paths));
        out.add(() -> SideBySide.result(f));
      }
    }
    return out;
  }

  /**
   * The manifests of a {@link #read}, for commands that put one or several policy sets on the
   * same workloads ({@link #replacePolicies}); their own policies are dropped there, so the
   * warning that none was found is not reported.
   */
  static ClusterModel base(Pending manifests, Diagnostics diagnostics) throws ManifestException {
    LoadResult baseResult = manifests.get();
    diagnostics.report(baseResult, d -> !d.code().equals(ManifestLoader.NO_NETWORK_POLICY));
    return baseResult.model();
  }

  /** {@code base} with its policies (all four kinds) replaced by those {@code policies} read. */
  static ClusterModel replacePolicies(ClusterModel base, Pending policies, Diagnostics diagnostics)
      throws ManifestException {
    ClusterModel proposal = loaded(policies.get(), diagnostics);
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
