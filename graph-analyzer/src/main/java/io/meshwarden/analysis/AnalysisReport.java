package io.meshwarden.analysis;

import io.meshwarden.finding.Finding;
import io.meshwarden.finding.Severity;
import io.meshwarden.model.Diagnostic;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of {@code meshwarden analyze}: findings plus the figures a reviewer needs to trust
 * them (what was read, what could not be used) and the diagnostics raised on the way (input
 * skipped or read with a part ignored, named ports that resolve nowhere, authorization rules
 * that could not be honoured as written), as values a report can carry.
 */
public record AnalysisReport(String toolVersion, Summary summary, List<Finding> findings,
    List<Diagnostic> diagnostics) {
  public AnalysisReport {
    findings = List.copyOf(findings);
    diagnostics = List.copyOf(diagnostics);
  }

  /** A report without diagnostics. */
  public AnalysisReport(String toolVersion, Summary summary, List<Finding> findings) {
    this(toolVersion, summary, findings, List.of());
  }

  /** The same report with other findings (the live control plane adds drift). */
  public AnalysisReport withFindings(List<Finding> other) {
    return new AnalysisReport(toolVersion, summary, other, diagnostics);
  }

  /** The same report with {@code earlier} diagnostics (reading the input) before its own. */
  public AnalysisReport withEarlierDiagnostics(List<Diagnostic> earlier) {
    List<Diagnostic> all = new java.util.ArrayList<>(earlier);
    all.addAll(diagnostics);
    return new AnalysisReport(toolVersion, summary, findings, all);
  }

  /**
   * Counts of inputs and of what the analysis produced.
   *
   * @param adminNetworkPolicies v1alpha1 AdminNetworkPolicies and the BaselineAdminNetworkPolicy
   * @param clusterNetworkPolicies v1alpha2 ClusterNetworkPolicies of both tiers (Antrea's kind of
   *     the same name is not read, so not counted)
   */
  public record Summary(int workloads, int namespaces, int networkPolicies, int adminNetworkPolicies,
      int clusterNetworkPolicies, long flowsRead, long badFlowRecords, int observedEdges, Map<String, Long> unresolvedFlows, int graphNodes,
      int graphEdges, int sensitiveWorkloads) {
    public Summary {
      unresolvedFlows = Map.copyOf(unresolvedFlows);
    }
  }

  /** Findings per severity, every severity present (zero when none). */
  public Map<Severity, Integer> countsBySeverity() {
    Map<Severity, Integer> out = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      out.put(s, 0);
    }
    findings.forEach(f -> out.merge(f.severity(), 1, Integer::sum));
    return out;
  }

  /** The most severe finding's severity, if any. */
  public Optional<Severity> worst() {
    return findings.stream().map(Finding::severity).max(Enum::compareTo);
  }
}
