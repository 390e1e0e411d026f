package io.meshwarden.cli;

import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.WorkloadNames;
import io.meshwarden.report.PolicySetRenderer;
import io.meshwarden.sidecar.Mode;
import io.meshwarden.sidecar.ResourceJson;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.WorkloadResources;
import io.meshwarden.sidecar.istio.AuthorizationPolicyWriter;
import io.meshwarden.sidecar.listener.EnvoyTranslator;
import io.meshwarden.sidecar.listener.GrpcTranslator;
import io.meshwarden.sidecar.netpol.ClusterNetworkPolicyWriter;
import io.meshwarden.sidecar.netpol.NetworkPolicyWriter;
import io.meshwarden.sidecar.validate.ResourceValidator;
import io.meshwarden.synthesis.Evidence;
import io.meshwarden.synthesis.NamespaceGuardrails;
import io.meshwarden.synthesis.PolicySynthesizer;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.meshwarden.traffic.TrafficModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code meshwarden generate}: least-privilege policy from observed traffic. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
          "Generate least-privilege policy from observed traffic: one policy per workload that "
          + "admits exactly the sources, ports and (for HTTP) requests seen, keeping kubelet probes, "
          + "DNS and LoadBalancer entry points working. Only what the flow sources could see is "
          + "restricted: a workload with no observed flow gets no policy, and a direction or port no "
          + "source watched stays open (e.g. inbound access logs restrict ingress only). Flow inputs "
          + "that yield no usable flow are refused (exit 3, nothing written). Output as Envoy "
          + "listeners with RBAC (enforce or dry-run), the proxyless-gRPC form, Kubernetes "
          + "NetworkPolicy, Istio AuthorizationPolicy, or the intent itself for review. Same input, "
          + "same bytes. Envoy resources are validated before they are printed.")
final class GenerateCommand implements Callable<Integer> {
  private final InputStream stdin;
  private final TrafficSource traffic;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ManifestOptions manifests = new ManifestOptions();

  @CommandLine.Mixin QuietOption quietOption = new QuietOption();

  @Option(names = "--flows", required = true, split = ",", paramLabel = "PATH", description = "Recorded flows.")
  List<String> flows = new ArrayList<>();

  @Option(names = "--flow-format", defaultValue = "auto", description = "The flow format: auto, envoy-json, envoy-text or hubble.")
  String flowFormat;

  @Option(names = {"-o", "--output"}, defaultValue = "intent",
      description = "The output format: envoy, grpc, networkpolicy, authorizationpolicy, clusternetworkpolicy"
          + " (namespace guardrails in the Baseline tier), intent or intent-json (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--mode", defaultValue = "dry-run",
      description = "The mode: enforce or dry-run (default: ${DEFAULT-VALUE}); dry-run writes Envoy shadow_rules and Istio's dry-run annotation.")
  String mode;

  @Option(names = "--min-flows", defaultValue = "1", description = "Leave out edges seen fewer times (default: ${DEFAULT-VALUE}).")
  long minFlows;

  @Option(names = "--since", paramLabel = "DURATION",
      description = "Only edges seen within this window before the last record, e.g. 24h, 30m, 7d.")
  String since;

  @Option(names = "--max-rules-per-workload", defaultValue = "50",
      description = "Merge HTTP paths into prefixes above this many rules (default: ${DEFAULT-VALUE}).")
  int maxRules;

  @Option(names = "--no-probes", description = "Do not keep kubelet probe ports open.")
  boolean noProbes;

  @Option(names = "--no-dns", description = "Do not keep egress to kube-dns.")
  boolean noDns;

  @Option(names = "--no-entry-points", description = "Do not keep LoadBalancer/NodePort ports open to everyone.")
  boolean noEntryPoints;

  @Option(names = "--include-unobserved",
      description = "Also restrict workloads with no observed flow in the window (default: they get no policy).")
  boolean includeUnobserved;

  @Option(names = "--kubelet-cidr", split = ",", paramLabel = "CIDR",
      description = "Node addresses kubelet probes come from, when probes pass the sidecar (Envoy forms).")
  List<String> kubeletCidrs = new ArrayList<>();

  @Option(names = "--trust-domain", defaultValue = "cluster.local", description = "SPIFFE trust domain (default: ${DEFAULT-VALUE}).")
  String trustDomain;

  @Option(names = "--output-file", paramLabel = "FILE", description = "Write here instead of stdout.")
  Path outputFile;

  GenerateCommand(InputStream stdin, TrafficSource traffic) {
    this.stdin = stdin;
    this.traffic = traffic;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Diagnostics diagnostics = new Diagnostics(err, quietOption.quiet);
    Mode m;
    PolicySynthesizer.Options options;
    try {
      m = switch (mode.toLowerCase(Locale.ROOT)) {
        case "enforce" -> Mode.ENFORCE;
        case "dry-run", "dryrun" -> Mode.DRY_RUN;
        default -> throw new IllegalArgumentException("unknown mode \"" + mode + "\" (want enforce or dry-run)");
      };
      options = new PolicySynthesizer.Options(trustDomain, minFlows, since == null ? null : duration(since), maxRules,
          !noProbes, !noDns, !noEntryPoints, includeUnobserved);
      if (!List.of("envoy", "grpc", "networkpolicy", "authorizationpolicy", "clusternetworkpolicy", "intent",
          "intent-json").contains(output)) {
        throw new IllegalArgumentException("unknown output \"" + output
            + "\" (want envoy, grpc, networkpolicy, authorizationpolicy, clusternetworkpolicy, intent or intent-json)");
      }
    } catch (IllegalArgumentException e) {
      err.println("meshwarden generate: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    ClusterModel model;
    TrafficModel observed;
    try {
      model = Inputs.load(manifests, List.of(), false, stdin, diagnostics);
      observed = traffic.load(flows, flowFormat, false, model, stdin, quietOption.quiet ? null : err);
    } catch (ManifestException | TrafficSource.BadTrafficException e) {
      err.println("meshwarden generate: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("meshwarden generate: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    PolicySynthesizer.Result result = PolicySynthesizer.synthesize(model, observed, options);
    if (result.refusal().isPresent()) {
      // Evidence before policy: never hidden by -q, and nothing is written.
      err.println("meshwarden generate: " + result.refusal().get().message());
      return ExitCodes.BAD_INPUT;
    }
    if (!quietOption.quiet) {
      Evidence ev = result.policies().evidence();
      // Written for people: workloads named ns/name[Kind], as every report names them.
      ev.warnings().forEach(w -> err.println("warning: " + WorkloadNames.text(w.toString())));
      if (!output.startsWith("intent")) {
        ev.notEnoughEvidence().forEach(u -> err.println(WorkloadNames.text("not enough evidence: " + u.workloadId() + ": "
            + u.reason())));
        result.notes().forEach(n -> err.println("note: " + WorkloadNames.text(n)));
      }
    }
    String text;
    switch (output) {
      case "networkpolicy" -> text = NetworkPolicyWriter.write(result.policies());
      case "clusternetworkpolicy" -> text = ClusterNetworkPolicyWriter.write(result.policies(),
          NamespaceGuardrails.derive(model, result.policies()));
      case "authorizationpolicy" -> text = AuthorizationPolicyWriter.write(result.policies(), m == Mode.DRY_RUN);
      case "intent" -> text = PolicySetRenderer.text(result.policies(), result.notes());
      case "intent-json" -> text = PolicySetRenderer.json(result.policies(), result.notes());
      default -> {
        boolean grpc = output.equals("grpc");
        TranslatorOptions t = TranslatorOptions.DEFAULTS.withKubeletCidrs(kubeletCidrs);
        StringBuilder sb = new StringBuilder("[\n");
        List<String> invalid = new ArrayList<>();
        List<WorkloadPolicy> policies = result.policies().policies();
        // Pure per workload: translate and validate on every core; the order of the output is kept.
        List<WorkloadResources> resources = policies.parallelStream()
            .map(p -> grpc ? GrpcTranslator.translate(p, m, t) : EnvoyTranslator.translate(p, m, t)).toList();
        for (int i = 0; i < policies.size(); i++) {
          WorkloadResources r = resources.get(i);
          List<String> problems = grpc ? ResourceValidator.validateGrpc(r) : ResourceValidator.validate(r);
          String id = policies.get(i).workloadId();
          problems.forEach(x -> invalid.add(id + ": " + x));
          sb.append(ResourceJson.print(r).stripTrailing()).append(i + 1 < policies.size() ? ",\n" : "\n");
        }
        if (!invalid.isEmpty()) {
          // Never hand out config that failed validation: a proxy would reject it, or worse, accept it.
          invalid.forEach(x -> err.println("invalid: " + WorkloadNames.text(x)));
          return ExitCodes.INTERNAL;
        }
        text = sb.append("]\n").toString();
      }
    }
    if (outputFile != null) {
      // All or nothing: a reader never sees half a policy file, and a failed write leaves the old one.
      Path dir = outputFile.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(dir, "." + outputFile.getFileName(), ".tmp");
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
          Files.move(tmp, outputFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
          Files.move(tmp, outputFile, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(text);
      out.flush();
    }
    return ExitCodes.OK;
  }

  /** {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}, or ISO-8601 ({@code PT24H}). */
  static Duration duration(String s) {
    try {
      if (s.startsWith("P") || s.startsWith("p")) {
        return Duration.parse(s);
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      return switch (Character.toLowerCase(s.charAt(s.length() - 1))) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("bad duration \"" + s + "\" (want e.g. 30m, 24h, 7d)");
    }
  }
}
