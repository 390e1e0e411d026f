package io.meshwarden.cli;

import io.meshwarden.analysis.AnalysisReport;
import io.meshwarden.analysis.Analyzer;
import io.meshwarden.authz.AuthorizationPolicyEvaluator;
import io.meshwarden.authz.TrustDomains;
import io.meshwarden.finding.Severity;
import io.meshwarden.ingest.manifest.LoadResult;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.Diagnostic;
import io.meshwarden.report.FindingsRenderer;
import io.meshwarden.report.GraphRenderer;
import io.meshwarden.traffic.TrafficModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code meshwarden analyze}: manifests and observed traffic in, findings out. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description =
          "Compare what policy (NetworkPolicy, AdminNetworkPolicy and Istio AuthorizationPolicy "
          + "together) allows with what traffic used, and report where the network is wider open than "
          + "it needs to be: unused allow rules, namespaces without default-deny, entry points from "
          + "outside, lateral paths from entry points to sensitive workloads, observed flows policy "
          + "would break, over-broad rules, selectors that select nothing and rules admitting any "
          + "address. The exit code reflects the worst finding against --fail-on.")
final class AnalyzeCommand implements Callable<Integer> {
  private final InputStream stdin;
  private final TrafficSource traffic;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ManifestOptions manifests = new ManifestOptions();

  @CommandLine.Mixin QuietOption quietOption = new QuietOption();

  @Option(names = "--flows", paramLabel = "PATH", split = ",",
      description = "Flow records: Envoy access logs (JSON or text) or Hubble JSON; gzip accepted; '-' is stdin.")
  List<String> flows = new ArrayList<>();

  @Option(names = "--flow-format", paramLabel = "FORMAT", defaultValue = "auto",
      description = "The flow format: auto, envoy-json, envoy-text or hubble (default: ${DEFAULT-VALUE}).")
  String flowFormat;

  @Option(names = "--strict", description = "A malformed flow record is fatal (default: counted and reported).")
  boolean strict;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "The report format: table, json, md, sarif or html (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--output-file", paramLabel = "FILE", description = "Write the report here instead of stdout.")
  Path outputFile;

  @Option(names = "--graph", paramLabel = "FORMAT", description = "Also export the graph: dot, graphml or cytoscape.")
  String graphFormat;

  @Option(names = "--graph-file", paramLabel = "FILE", description =
          "Where --graph writes. Needed unless the report goes to --output-file: stdout carries one "
          + "format.")
  Path graphFile;

  @Option(names = "--source-root", paramLabel = "DIR",
      description = "The directory SARIF paths are relative to, as %%SRCROOT%% (default: the current directory).")
  Path sourceRoot;

  @Option(names = "--fail-on", paramLabel = "SEVERITY",
      description = "Exit 1 when a finding is at least this severe: low, medium, high or critical.")
  String failOn;

  @Option(names = "--max-path-length", defaultValue = "6", paramLabel = "HOPS",
      description = "Longest lateral-movement path to report (default: ${DEFAULT-VALUE}).")
  int maxPathLength;

  @Option(names = "--trust-domain", defaultValue = "cluster.local",
      description = "SPIFFE trust domain of the mesh, for AuthorizationPolicy principals (default: ${DEFAULT-VALUE}).")
  String trustDomain;

  @Option(names = "--trust-domain-alias", paramLabel = "DOMAIN",
      description = "Another trust domain treated as ours (Istio's trustDomainAliases). Repeatable.")
  List<String> trustDomainAliases = new ArrayList<>();

  @Option(names = "--istio-root-namespace", defaultValue = AuthorizationPolicyEvaluator.ROOT_NAMESPACE,
      description = "Istio's root namespace, whose policies apply mesh-wide (default: ${DEFAULT-VALUE}).")
  String rootNamespace;

  @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Show progress on stderr when it is a terminal (default: on).")
  boolean progress;

  AnalyzeCommand(InputStream stdin, TrafficSource traffic) {
    this.stdin = stdin;
    this.traffic = traffic;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    FindingsRenderer.Format format;
    GraphRenderer.Format graph;
    Severity threshold;
    try {
      format = FindingsRenderer.Format.parse(output);
      graph = graphFormat == null ? null : GraphRenderer.Format.parse(graphFormat);
      threshold = failOn == null ? null : Severity.parse(failOn);
      if (maxPathLength < 1) {
        throw new IllegalArgumentException("--max-path-length must be at least 1");
      }
      if (graph != null && graphFile == null && outputFile == null) {
        throw new IllegalArgumentException("--graph needs --graph-file (or the report in --output-file): stdout"
            + " carries one format, and the report is already there");
      }
    } catch (IllegalArgumentException e) {
      err.println("meshwarden analyze: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Progress p = new Progress(err, progress && System.console() != null);
    err = p.messages();
    p.stage("reading manifests");
    LoadResult loaded;
    try {
      loaded = new ManifestLoader(manifests.keepGoing, stdin).defaultNamespace(manifests.namespace).load(manifests.paths);
    } catch (ManifestException e) {
      p.done();
      err.println("meshwarden analyze: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("meshwarden analyze: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (!quietOption.quiet) {
      Diagnostics.print(err, loaded);
    }
    TrafficModel observed;
    try {
      p.stage("reading flows");
      observed = flows.isEmpty() ? TrafficModel.empty()
          : traffic.load(flows, flowFormat, strict, loaded.model(), stdin, quietOption.quiet ? null : err);
    } catch (TrafficSource.BadTrafficException e) {
      p.done();
      err.println("meshwarden analyze: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      p.done();
      err.println("meshwarden analyze: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Analyzer.Result result = Analyzer.run(loaded.model(), observed,
        new Analyzer.Options(maxPathLength, new MeshwardenCommand.Version().version(), p::stage,
            new AuthorizationPolicyEvaluator.Options(new TrustDomains(trustDomain, trustDomainAliases), rootNamespace)));
    if (!quietOption.quiet) {
      for (var d : result.authzDiagnostics()) {
        err.println(d);
      }
      // What policy evaluation could not settle (a ClusterNetworkPolicy domainNames rule against an
      // address, pods partly inside a networks peer, a named port no container declares).
      for (io.meshwarden.model.Diagnostic w : result.connectivity().warnings()) {
        err.println("warning: " + w);
      }
    }
    p.done();
    // The report carries what reading the input raised too (JSON diagnostics, SARIF notifications).
    List<Diagnostic> input = new ArrayList<>(loaded.errors());
    input.addAll(loaded.warnings());
    AnalysisReport report = result.report().withEarlierDiagnostics(input);
    boolean tty = outputFile == null && System.console() != null;
    String rendered = format == FindingsRenderer.Format.SARIF
        ? FindingsRenderer.sarif(report, sourceRoot == null ? Path.of("") : sourceRoot)
        : FindingsRenderer.render(report, format, tty && format == FindingsRenderer.Format.TABLE,
            format == FindingsRenderer.Format.HTML ? GraphRenderer.render(result.graph(), GraphRenderer.Format.CYTOSCAPE)
                : "");
    PrintWriter out = spec.commandLine().getOut();
    if (outputFile != null) {
      Files.writeString(outputFile, rendered, StandardCharsets.UTF_8);
    } else {
      out.print(rendered);
    }
    if (graph != null) {
      String g = GraphRenderer.render(result.graph(), graph);
      if (graphFile != null) {
        Files.writeString(graphFile, g, StandardCharsets.UTF_8);
      } else {
        out.print(g);
      }
    }
    out.flush();
    if (threshold != null && result.report().worst().map(w -> w.atLeast(threshold)).orElse(false)) {
      return ExitCodes.CHECK_FAILED;
    }
    return ExitCodes.OK;
  }
}
