package io.meshwarden.cli;

import io.meshwarden.connectivity.Connection;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Focus;
import io.meshwarden.exposure.EntryPoint;
import io.meshwarden.exposure.EntryPointScanner;
import io.meshwarden.exposure.ExposureAnalyzer;
import io.meshwarden.exposure.ExposureReport;
import io.meshwarden.ingest.manifest.LoadResult;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.report.ConnlistFormat;
import io.meshwarden.report.ConnlistRenderer;
import io.meshwarden.report.ConnlistWriter;
import io.meshwarden.report.ExposureRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code meshwarden connectivity}: what current policy allows between all workloads and external ranges. */
@Command(
    name = "connectivity",
    mixinStandardHelpOptions = true,
    description =
          "List the connections that current NetworkPolicies and AdminNetworkPolicies allow between "
          + "all workloads, external IP ranges and the ingress controller. The txt form is "
          + "line-for-line np-guard netpol-analyzer's `list` output.")
final class ConnectivityCommand implements Callable<Integer> {
  private final InputStream stdin;
  private final OutputStream stdout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ManifestOptions manifests = new ManifestOptions();

  @CommandLine.Mixin QuietOption quietOption = new QuietOption();

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "txt",
      description = "The output format: txt, json, csv, md or dot (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--exposure", description =
          "Also report exposure: what each workload allows to and from the entire cluster, pods "
          + "that policy rules select but the input lacks, and external ranges (txt or json).")
  boolean exposure;

  @Option(names = "--entry-points", description =
          "With --exposure, also list the entry points the manifests declare (LoadBalancer, "
          + "NodePort, Ingress, Route, hostPort, hostNetwork). Without it the output is exactly "
          + "np-guard's, so the two tools can be diffed.")
  boolean entryPoints;

  @Option(names = "--focus-workload", split = ",", paramLabel = "NAME",
      description = "Only connections of these workloads (name or namespace/name).")
  List<String> focusWorkloads = new ArrayList<>();

  @Option(names = "--focus-workload-peer", split = ",", paramLabel = "NAME",
      description = "With --focus-workload: only connections whose other end is one of these.")
  List<String> focusPeers = new ArrayList<>();

  @Option(names = "--focus-direction", paramLabel = "DIR", description = "With --focus-workload: ingress or egress.")
  String focusDirection;

  @Option(names = "--focus-conn", paramLabel = "PROTO-PORT", description = "Only connections that carry this port, e.g. tcp-8080.")
  String focusConn;

  @Option(names = "--multi-network", description =
          "Also read OVN-Kubernetes UserDefinedNetworks, ClusterUserDefinedNetworks, "
          + "NetworkAttachmentDefinitions, MultiNetworkPolicies and KubeVirt VirtualMachines, and "
          + "list connections per network (pod network, primary (C)UDNs, secondary NADs).")
  boolean multiNetwork;

  ConnectivityCommand(InputStream stdin, OutputStream stdout) {
    this.stdin = stdin;
    this.stdout = stdout;
  }

  @Override
  public Integer call() throws IOException {
    var err = spec.commandLine().getErr();
    ConnlistFormat format;
    Focus focus;
    try {
      format = ConnlistFormat.parse(output);
      if (exposure && format != ConnlistFormat.TXT && format != ConnlistFormat.JSON) {
        throw new IllegalArgumentException("--exposure output is available as txt or json");
      }
      if (entryPoints && !exposure) {
        throw new IllegalArgumentException("--entry-points is a part of --exposure; add --exposure");
      }
      Focus.FocusConnection fc = focusConn == null ? null : Focus.FocusConnection.parse(focusConn);
      focus = new Focus(focusWorkloads, focusPeers, focusDirection, fc);
    } catch (IllegalArgumentException e) {
      err.println("meshwarden connectivity: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    LoadResult loaded;
    try {
      loaded = new ManifestLoader(manifests.keepGoing, stdin).defaultNamespace(manifests.namespace).multiNetwork(multiNetwork).load(manifests.paths);
    } catch (ManifestException e) {
      err.println("meshwarden connectivity: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("meshwarden connectivity: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (!quietOption.quiet) {
      Diagnostics.print(err, loaded);
    }
    boolean withExposure = exposure && !multiNetwork && ExposureAnalyzer.applies(focus);
    if (exposure && multiNetwork) {
      err.println("warning: --exposure is ignored with --multi-network (exposure is analysed on the pod network only)");
    }
    if (exposure && !multiNetwork && !withExposure) {
      err.println("warning: --exposure is ignored with both --focus-workload and --focus-workload-peer");
    }
    Connectivity connectivity = ConnectivityAnalyzer.analyze(loaded.model(), withExposure);
    List<String> missingFocus = Focus.missing(focusWorkloads, loaded.model().workloads());
    for (String missing : missingFocus) {
      err.println("warning: workload " + missing + " does not exist in the input resources");
    }
    var out = spec.commandLine().getOut();
    if (!focusWorkloads.isEmpty() && missingFocus.size() == focusWorkloads.size()) {
      // Nothing to focus on: np-guard prints an empty report, and so do we.
      out.flush();
      return ExitCodes.OK;
    }
    if (!withExposure && !connectivity.multiNetwork()) {
      // Streamed: 10,000 workloads without policies allow 10^8 pairs, more than any heap should hold.
      out.flush();
      ConnlistWriter.write(connectivity, focus, format, stdout);
    } else if (withExposure) {
      List<Connection> conns = connectivity.connections().stream().filter(focus::keeps).toList();
      ExposureReport report = ExposureAnalyzer.analyze(loaded.model(), connectivity, focus, conns);
      List<EntryPoint> declared = !entryPoints ? List.of() : EntryPointScanner.scan(loaded.model()).stream()
          .filter(e -> focus.workloads().isEmpty() || focus.selects(e.workload())).toList();
      out.print(ExposureRenderer.render(conns, report, format, focus.connection(), declared));
    } else {
      List<Connection> conns = connectivity.connections().stream().filter(focus::keeps).toList();
      out.print(focus.connection() != null
          ? ConnlistRenderer.renderFocusConnection(conns, focus.connection(), connectivity)
          : ConnlistRenderer.render(conns, format, connectivity));
    }
    out.flush();
    if (!quietOption.quiet) {
      connectivity.warnings().forEach(w -> err.println("warning: " + w));
    }
    return ExitCodes.OK;
  }
}
