package io.meshwarden.cli;

import io.meshwarden.dryrun.PolicyReplay;
import io.meshwarden.dryrun.ReplayReport;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.traffic.TrafficModel;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code meshwarden dry-run}: recorded traffic through a proposed policy, before anyone enforces it. */
@Command(
    name = "dry-run",
    mixinStandardHelpOptions = true,
    description =
          "Replay recorded traffic through a proposed policy (meshwarden's generated NetworkPolicy "
          + "or AuthorizationPolicy YAML, or hand-written ones): every flow goes through L4 policy "
          + "(egress, then ingress) and Istio authorization together. Reports every flow it would "
          + "deny, and every flow whose fate depends on what the records do not carry (headers, JWT "
          + "claims) or on an external authorizer (CUSTOM), grouped by destination and deciding layer "
          + "and rule, with counts and samples. Exit code 1 when anything would be denied, 4 when "
          + "nothing is denied but some flows cannot be decided.")
final class DryRunCommand implements Callable<Integer> {
  private final InputStream stdin;
  private final TrafficSource traffic;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ManifestOptions manifests = new ManifestOptions();

  @CommandLine.Mixin QuietOption quietOption = new QuietOption();

  @Option(names = "--policy", required = true, paramLabel = "PATH",
      description = "The proposed policy: NetworkPolicy, AdminNetworkPolicy or AuthorizationPolicy YAML. Repeatable.")
  List<String> policies = new ArrayList<>();

  @Option(names = "--replace", description = "Drop the manifests' own policies: judge the proposal alone.")
  boolean replace;

  @Option(names = "--flows", required = true, split = ",", paramLabel = "PATH", description = "Recorded flows.")
  List<String> flows = new ArrayList<>();

  @Option(names = "--flow-format", defaultValue = "auto", description = "The flow format: auto, envoy-json, envoy-text or hubble.")
  String flowFormat;

  @CommandLine.Mixin IstioOptions istio = new IstioOptions();

  DryRunCommand(InputStream stdin, TrafficSource traffic) {
    this.stdin = stdin;
    this.traffic = traffic;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Diagnostics diagnostics = new Diagnostics(err, quietOption.quiet);
    ClusterModel proposed;
    TrafficModel observed;
    try {
      proposed = Inputs.load(manifests, policies, replace, stdin, diagnostics);
      observed = traffic.load(flows, flowFormat, false, proposed, stdin, quietOption.quiet ? null : err);
    } catch (ManifestException | TrafficSource.BadTrafficException e) {
      err.println("meshwarden dry-run: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("meshwarden dry-run: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    ReplayReport report = PolicyReplay.replay(proposed, observed, istio.options(), w -> {
      if (!quietOption.quiet) {
        err.println("warning: " + w);
      }
    });
    PrintWriter out = spec.commandLine().getOut();
    out.print(report.render());
    out.flush();
    return report.deniesAnything() ? ExitCodes.CHECK_FAILED
        : report.mayDenyAnything() ? ExitCodes.UNDECIDED : ExitCodes.OK;
  }
}
