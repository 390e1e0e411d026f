package io.meshwarden.cli;

import io.meshwarden.authz.AuthorizationPolicyEvaluator;
import io.meshwarden.authz.AuthzDecision;
import io.meshwarden.authz.AuthzRequest;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Explanation;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code meshwarden explain SRC DST:PORT}: allowed or denied, and exactly which rule decided. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Explain why a connection is allowed or denied: for each side (the source's egress, the",
      "destination's ingress) the AdminNetworkPolicy, NetworkPolicy or baseline rule that decided, with",
      "file:line; then, when AuthorizationPolicies exist, Istio's decision for the request; and with",
      "--envoy, the decision of generated Envoy RBAC (enforced rules, and shadow rules in dry-run).",
      "SRC and DST are workloads (name, namespace/name or namespace/Kind/name) or IPv4 addresses.",
      "Exit code 0 when allowed, 1 when denied."
    })
final class ExplainCommand implements Callable<Integer> {
  private final InputStream stdin;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "PATH", description = "Manifests. Repeatable.")
  List<String> paths = new ArrayList<>();

  @Option(names = "--policy", paramLabel = "PATH", description = "A proposed policy to explain against (laid over -f).")
  List<String> policies = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "SRC", description = "Source workload or IP.")
  String source;

  @Parameters(index = "1", paramLabel = "DST:PORT", description = "Destination workload or IP, and port.")
  String destination;

  @Option(names = "--protocol", defaultValue = "TCP", description = "TCP, UDP or SCTP (default: ${DEFAULT-VALUE}).")
  String protocol;

  @Option(names = "--method", description = "HTTP method, for AuthorizationPolicies.")
  String method;

  @Option(names = "--path", description = "HTTP path, for AuthorizationPolicies.")
  String path;

  @Option(names = "--envoy", paramLabel = "FILE",
      description = "Also decide against generated Envoy resources (output of generate -o envoy).")
  java.nio.file.Path envoy;

  @Option(names = "--trust-domain", defaultValue = "cluster.local", description = "SPIFFE trust domain (default: ${DEFAULT-VALUE}).")
  String trustDomain;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace of objects that set none.")
  String namespace;

  ExplainCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    int colon = destination.lastIndexOf(':');
    Protocol proto;
    int port;
    try {
      proto = Protocol.parse(protocol);
      if (colon < 0) {
        throw new IllegalArgumentException("DST must be DST:PORT, e.g. default/redis-cart:6379");
      }
      port = Integer.parseInt(destination.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
      }
    } catch (NumberFormatException e) {
      err.println("meshwarden explain: bad port in " + destination);
      return ExitCodes.USAGE;
    } catch (IllegalArgumentException e) {
      err.println("meshwarden explain: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    ClusterModel m;
    try {
      m = Inputs.load(paths, policies, false, namespace, false, stdin, err, true);
    } catch (ManifestException e) {
      err.println("meshwarden explain: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("meshwarden explain: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    Peer src;
    Peer dst;
    try {
      src = peer(m, c, source, true);
      dst = peer(m, c, destination.substring(0, colon), false);
    } catch (IllegalArgumentException | Inputs.AmbiguousException e) {
      err.println("meshwarden explain: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Explanation x = c.explain(src, dst, proto, port);
    out.print(x.render(src.displayName() + " -> " + dst.displayName() + " " + proto + " " + port));
    boolean allowed = x.allowed();
    AuthorizationPolicyEvaluator authz = AuthorizationPolicyEvaluator.of(m, w -> err.println("warning: " + w));
    if (allowed && authz.hasPolicies() && dst instanceof Peer.WorkloadPeer d) {
      Workload s = src instanceof Peer.WorkloadPeer sw ? sw.workload() : null;
      AuthzRequest req = new AuthzRequest(s == null ? null : trustDomain + "/ns/" + s.namespace() + "/sa/" + s.serviceAccount(),
          s == null ? null : s.namespace(), s == null ? source : null, d.workload(), port, method, path, null, Map.of());
      AuthzDecision enforced = authz.decide(req, false);
      AuthzDecision withDryRun = authz.decide(req, true);
      out.println("  Istio authorization (" + (method == null ? "TCP connection" : method + " " + (path == null ? "/" : path))
          + (s == null ? "" : ", principal " + req.principal()) + "): " + enforced);
      if (withDryRun.allowed() != enforced.allowed()) {
        out.println("  with dry-run policies enforced: " + withDryRun);
      }
      allowed = enforced.allowed();
    }
    if (envoy != null && dst instanceof Peer.WorkloadPeer d) {
      Workload s = src instanceof Peer.WorkloadPeer sw ? sw.workload() : null;
      io.meshwarden.sidecar.rbac.eval.Request.Builder req = io.meshwarden.sidecar.rbac.eval.Request.builder()
          .destinationPort(port).sourceIp(s == null ? source : "10.0.0.1");
      if (s != null) {
        req.principal(s.spiffeId(trustDomain));
      }
      if (method != null) {
        req.method(method).path(path == null ? "/" : path);
      }
      try {
        var decision = EnvoyRbacExplainer.decide(envoy, d.workload().id(), req.build());
        out.println("  generated Envoy RBAC (" + envoy + ", filter chain " + decision.chain() + "): enforced "
            + decision.enforced() + (decision.shadow() == null ? "" : "; dry-run " + decision.shadow()));
        allowed = allowed && decision.dryRun().allowed();
      } catch (EnvoyRbacExplainer.BadResources e) {
        err.println("meshwarden explain: " + e.getMessage());
        return ExitCodes.BAD_INPUT;
      }
    }
    out.flush();
    return allowed ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
  }

  private static Peer peer(ClusterModel m, Connectivity c, String ref, boolean source) throws Inputs.AmbiguousException {
    Optional<Workload> w = Inputs.workload(m, ref);
    if (w.isPresent()) {
      return new Peer.WorkloadPeer(w.get());
    }
    IpRange address;
    try {
      address = IpRange.parseCidr(ref + "/32");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + ref + "\" is neither a workload in the manifests nor an IPv4 address");
    }
    return c.externalPeers(address, source).get(0);
  }
}
