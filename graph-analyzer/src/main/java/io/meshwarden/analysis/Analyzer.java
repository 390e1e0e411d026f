package io.meshwarden.analysis;

import io.meshwarden.analysis.AnalysisReport;
import io.meshwarden.authz.AuthorizationPolicyEvaluator;
import io.meshwarden.authz.AuthzDiagnostic;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.decision.LayeredDecider;
import io.meshwarden.finding.AnalysisInput;
import io.meshwarden.finding.Finding;
import io.meshwarden.finding.FindingsEngine;
import io.meshwarden.finding.Sensitivity;
import io.meshwarden.graph.CommunicationGraph;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Diagnostic;
import io.meshwarden.traffic.TrafficModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The offline pipeline behind {@code meshwarden analyze}: cluster model and observed traffic in;
 * connectivity, the communication graph, findings and the report out. Pure: no I/O.
 */
public final class Analyzer {
  /** What one run produced. */
  public record Result(AnalysisReport report, CommunicationGraph graph, Connectivity connectivity,
      List<AuthzDiagnostic> authzDiagnostics) {
    public Result {
      authzDiagnostics = List.copyOf(authzDiagnostics);
    }
  }

  /**
   * Options; {@code progress} receives stage names for a progress indicator; {@code authz} says how
   * Istio AuthorizationPolicies are read (trust domain and aliases, root namespace).
   */
  public record Options(int maxPathLength, String toolVersion, Consumer<String> progress,
      AuthorizationPolicyEvaluator.Options authz) {
    public Options {
      if (maxPathLength < 1) {
        throw new IllegalArgumentException("maxPathLength must be at least 1");
      }
      Objects.requireNonNull(toolVersion, "toolVersion");
      progress = progress == null ? s -> { } : progress;
      authz = authz == null ? AuthorizationPolicyEvaluator.Options.DEFAULT : authz;
    }

    /** Istio's defaults for authorization. */
    public Options(int maxPathLength, String toolVersion, Consumer<String> progress) {
      this(maxPathLength, toolVersion, progress, null);
    }

    public static Options defaults() {
      return new Options(6, "dev", null);
    }
  }

  private Analyzer() {}

  public static Result run(ClusterModel model, TrafficModel traffic, Options options) {
    options.progress().accept("evaluating policy connectivity");
    Connectivity connectivity = ConnectivityAnalyzer.analyze(model);
    options.progress().accept("building the communication graph");
    AuthorizationPolicyEvaluator authz = AuthorizationPolicyEvaluator.of(model, options.authz());
    LayeredDecider decider = LayeredDecider.of(model, connectivity, authz);
    CommunicationGraph graph = CommunicationGraph.build(traffic, decider);
    options.progress().accept("running detectors");
    Sensitivity sensitivity = Sensitivity.of(model);
    List<Finding> findings = FindingsEngine.run(
        new AnalysisInput(model, connectivity, traffic, graph, sensitivity, options.maxPathLength()));
    AnalysisReport.Summary summary = new AnalysisReport.Summary(model.workloads().size(),
        (int) model.workloads().stream().map(w -> w.namespace()).distinct().count(), model.networkPolicies().size(),
        model.adminNetworkPolicies().size() + (model.baselineAdminNetworkPolicy().isPresent() ? 1 : 0),
        model.clusterNetworkPolicies().size(),
        traffic.flowsRead(), traffic.badRecordCount(), traffic.edges().size(), traffic.unresolved(),
        graph.graph().vertexSet().size(), graph.graph().edgeSet().size(), sensitivity.count());
    List<Diagnostic> diagnostics = new ArrayList<>(connectivity.warnings());
    authz.diagnostics().forEach(d -> diagnostics.add(diagnostic(d)));
    return new Result(new AnalysisReport(options.toolVersion(), summary, findings, diagnostics), graph, connectivity,
        authz.diagnostics());
  }

  /** Authorization's own diagnostic as the report carries every diagnostic. */
  static Diagnostic diagnostic(AuthzDiagnostic d) {
    return new Diagnostic(d.code(), Diagnostic.Severity.valueOf(d.severity().name()), d.origin(), d.message());
  }
}
