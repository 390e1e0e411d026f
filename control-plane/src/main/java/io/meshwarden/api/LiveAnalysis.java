package io.meshwarden.api;

import io.meshwarden.aggregate.TrafficView;
import io.meshwarden.analysis.AnalysisReport;
import io.meshwarden.analysis.Analyzer;
import io.meshwarden.authz.AuthorizationPolicyEvaluator;
import io.meshwarden.authz.TrustDomains;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.finding.Finding;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.report.FindingsRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analyses the API serves, on one cluster snapshot and one traffic view. Connectivity fills
 * caches as it is queried, so every computation runs on the caller's single analysis thread; results
 * are kept per (snapshot version, traffic version) and shared by every request that asks again.
 * Not thread-safe by design: {@link HttpApi} calls it from one worker.
 */
final class LiveAnalysis {
  private static final int CACHED = 16;

  private io.meshwarden.model.ClusterModel connectivityOf;
  /** The pod addresses connectivity was analysed with, when the model's policies read them (else null). */
  private Object connectivityAddresses;
  private io.meshwarden.model.ClusterModel readsAddressesOf;
  private boolean readsAddresses;
  private Connectivity connectivity;
  /**
   * Counts the connectivities computed: graphs depend on the policy model, not on the pods of a
   * snapshot, unless the model's address peers read pod addresses (then each new set counts).
   */
  private long modelGeneration;
  private final Map<String, String> cache = new LinkedHashMap<>(CACHED, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > CACHED;
    }
  };
  private final String toolVersion;
  private final AuthorizationPolicyEvaluator.Options authz;

  /** @param trustDomain the mesh's trust domain, as {@code analyze --trust-domain} takes it */
  LiveAnalysis(String toolVersion, String trustDomain) {
    this.toolVersion = toolVersion;
    this.authz = new AuthorizationPolicyEvaluator.Options(new TrustDomains(trustDomain, List.of()),
        AuthorizationPolicyEvaluator.Options.DEFAULT.rootNamespace());
  }

  String graph(ClusterSnapshot cluster, TrafficView traffic, String namespace) {
    Connectivity c = connectivity(cluster);
    // Keyed by the policy model, not the snapshot version: a pod change leaves the graph as it was.
    String key = "graph|" + modelGeneration + "|" + traffic.version() + "|" + namespace;
    return cache.computeIfAbsent(key, k -> LiveGraph.render(cluster, c, traffic.traffic(), namespace).encode());
  }

  /**
   * The same report as {@code analyze -o json}, on the live state, plus the drift found live in
   * enforcing namespaces (MW109), which no offline input can show.
   */
  String findings(ClusterSnapshot cluster, TrafficView traffic, int maxPathLength, List<Finding> drift) {
    String key = "findings|" + cluster.version() + "|" + traffic.version() + "|" + maxPathLength + "|"
        + drift.hashCode();
    return cache.computeIfAbsent(key, k -> {
      // The offline analysis resolves addresses from the model: it gets the pods' addresses too.
      Analyzer.Result r = Analyzer.run(cluster.modelWithStatus(), traffic.traffic(),
          new Analyzer.Options(maxPathLength, toolVersion, null, authz));
      AnalysisReport report = r.report();
      if (!drift.isEmpty()) {
        List<Finding> all = new ArrayList<>(report.findings());
        all.addAll(drift);
        all.sort(Finding.ORDER);
        report = report.withFindings(all);
      }
      return FindingsRenderer.render(report, FindingsRenderer.Format.JSON, false, null);
    });
  }

  Connectivity connectivity(ClusterSnapshot cluster) {
    // The policy model is the same instance until a policy-relevant object changes: pod churn
    // does not recompute connectivity, unless an admin-tier address peer (networks, nodes) matches
    // pods by their addresses; then it is analysed with them, again when they change.
    if (readsAddressesOf != cluster.model()) {
      readsAddresses = ConnectivityAnalyzer.readsPodAddresses(cluster.model());
      readsAddressesOf = cluster.model();
    }
    Object addresses = readsAddresses ? cluster.podIps() : null;
    if (connectivityOf != cluster.model() || connectivityAddresses != addresses) {
      connectivity = ConnectivityAnalyzer.analyze(readsAddresses ? cluster.modelWithStatus() : cluster.model());
      connectivityOf = cluster.model();
      modelGeneration++;
      connectivityAddresses = addresses;
    }
    return connectivity;
  }
}
