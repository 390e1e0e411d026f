package io.meshwarden.cli;

import io.meshwarden.authz.AuthorizationPolicyEvaluator;
import io.meshwarden.authz.AuthzDecision;
import io.meshwarden.authz.AuthzRequest;
import io.meshwarden.authz.Verdict;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.decision.LayerDecision;
import io.meshwarden.decision.LayeredDecider;
import io.meshwarden.decision.LayeredDecision;
import io.meshwarden.decision.RequestAttributes;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code meshwarden explain SRC DST:PORT}: the verdict across every layer, and exactly which rule decided. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description =
          "Explain whether a connection or request gets through, layer by layer: the source's "
          + "egress and the destination's ingress (AdminNetworkPolicy, NetworkPolicy, baseline), then "
          + "Istio AuthorizationPolicy at the destination's sidecar; each names the policy and rule "
          + "(file:line) that decided; with --envoy, generated Envoy RBAC too. The first line is the "
          + "final verdict across layers. Request attributes that are not given (headers, JWT claims, "
          + "the method) are evaluated both ways: a verdict that hinges on them is DEPENDS and says "
          + "what on. SRC and DST are workloads (name, namespace/name or namespace/Kind/name) or IP "
          + "addresses (IPv6 in brackets before a port: [fd00::1]:443); DST may also be a DNS name "
          + "(api.example.com:443), which ClusterNetworkPolicy domainNames decide. Exit code 0 when ALLOWED, 1 when DENIED, 4 when it DEPENDS or is "
          + "NOT_EVALUABLE (Istio CUSTOM).")
final class ExplainCommand implements Callable<Integer> {
  private final InputStream stdin;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ManifestOptions manifests = new ManifestOptions();

  @CommandLine.Mixin QuietOption quietOption = new QuietOption();

  @Option(names = "--policy", paramLabel = "PATH", description = "A proposed policy to explain against (laid over -f).")
  List<String> policies = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "SRC", description = "Source workload or IP.")
  String source;

  @Parameters(index = "1", paramLabel = "DST:PORT", description = "Destination workload or IP, and port.")
  String destination;

  @Option(names = "--protocol", defaultValue = "TCP", description = "TCP, UDP or SCTP (default: ${DEFAULT-VALUE}).")
  String protocol;

  @Option(names = "--app-protocol", paramLabel = "http|tcp",
      description = "What the sidecar parses on the port; default: from the Service port name, HTTP when any HTTP"
          + " attribute is given, else both are evaluated.")
  String appProtocol;

  @Option(names = "--method", description = "HTTP method.")
  String method;

  @Option(names = "--path", description = "HTTP path (without query).")
  String path;

  @Option(names = "--host", description = "HTTP Host (authority).")
  String host;

  @Option(names = "--header", paramLabel = "NAME=VALUE", description = "A request header. Repeatable.")
  List<String> headers = new ArrayList<>();

  @Option(names = "--no-other-headers",
      description = "Headers not given with --header are absent (default: unknown, evaluated both ways).")
  boolean noOtherHeaders;

  @Option(names = "--source-ip", paramLabel = "IP", description = "The source address (for a workload: one of its pods).")
  String sourceIp;

  @Option(names = "--source-principal", paramLabel = "PRINCIPAL",
      description = "The mTLS peer identity, td/ns/NS/sa/SA (spiffe:// optional); 'none' for plaintext."
          + " Default: the source workload's service account; none for an IP.")
  String sourcePrincipal;

  @Option(names = "--sni", description = "The TLS server name of the connection (connection.sni).")
  String sni;

  @Option(names = "--envoy", paramLabel = "FILE",
      description = "Also decide against generated Envoy resources (output of generate -o envoy).")
  java.nio.file.Path envoy;

  @CommandLine.Mixin IstioOptions istio = new IstioOptions();

  ExplainCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Diagnostics diagnostics = new Diagnostics(err, quietOption.quiet);
    PrintWriter out = spec.commandLine().getOut();
    int colon = destination.lastIndexOf(':');
    Protocol proto;
    int port;
    RequestAttributes attrs;
    try {
      proto = Protocol.parse(protocol);
      if (colon < 0) {
        throw new IllegalArgumentException("DST must be DST:PORT, e.g. default/redis-cart:6379");
      }
      port = Integer.parseInt(destination.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
      }
      attrs = attributes();
    } catch (NumberFormatException e) {
      err.println("meshwarden explain: bad port in " + destination);
      return ExitCodes.USAGE;
    } catch (IllegalArgumentException e) {
      err.println("meshwarden explain: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    ClusterModel m;
    try {
      m = Inputs.load(manifests, policies, false, stdin, diagnostics);
    } catch (ManifestException e) {
      err.println("meshwarden explain: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("meshwarden explain: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    Peer src;
    List<Peer> dsts;
    try {
      src = peer(m, c, host(source), true);
      dsts = destinations(m, c, host(destination.substring(0, colon)));
    } catch (IllegalArgumentException | Inputs.AmbiguousException e) {
      err.println("meshwarden explain: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (attrs.sourceIp() == null && !(src instanceof Peer.WorkloadPeer)) {
      // The exact address, not the range of the partition it fell into.
      attrs = withSourceIp(attrs, source);
    }
    AuthorizationPolicyEvaluator authz = AuthorizationPolicyEvaluator.of(m, istio.options());
    if (!quietOption.quiet) {
      authz.diagnostics().forEach(d -> err.println(d));
    }
    LayeredDecider decider = LayeredDecider.of(m, c, authz);
    // A DNS name stands for every public range its addresses may be in: the most favourable is shown.
    Peer dst = dsts.get(0);
    LayeredDecision decision = null;
    java.util.Set<Verdict> verdicts = java.util.EnumSet.noneOf(Verdict.class);
    for (Peer d : dsts) {
      LayeredDecision x = decider.decide(src, d, proto, port, attrs, false);
      verdicts.add(x.verdict());
      if (decision == null || x.verdict().moreFavourableThan(decision.verdict())) {
        decision = x;
        dst = d;
      }
    }
    // An address stands for itself, not for the range of the partition it fell into.
    String connection = name(src, host(source)) + " -> " + name(dst, host(destination.substring(0, colon))) + " " + proto + " "
        + port
        + request(attrs);
    List<String> lines = new ArrayList<>();
    for (LayerDecision l : decision.layers()) {
      lines.add("  " + l.layer().title() + ": " + l.verdict() + (l.policy() == null ? "" : " by " + l.decidedBy()));
      if (l.layer() == io.meshwarden.decision.Layer.ISTIO_AUTHZ) {
        lines.add("    - " + l.reason());
        if (!l.dependsOn().isEmpty()) {
          lines.add("    - depends on " + String.join(", ", l.dependsOn()));
        }
      } else {
        l.trace().forEach(step -> lines.add("    - " + step));
      }
    }
    if (dst instanceof Peer.WorkloadPeer d) {
      AuthzDecision withDryRun = decider.authz(src, d.workload(), proto, port, attrs, true);
      Optional<LayerDecision> enforced = decision.layer(io.meshwarden.decision.Layer.ISTIO_AUTHZ);
      if (enforced.isPresent() && withDryRun.verdict() != enforced.get().verdict()) {
        lines.add("    - with istio.io/dry-run policies enforced: " + withDryRun);
      }
    }
    if (verdicts.size() > 1) {
      lines.add("  " + ((Peer.ExternalPeer) dst).name() + " was given by name: the verdict differs by the range its"
          + " address is in (" + verdicts + "); shown for " + ((Peer.ExternalPeer) dst).range());
    }
    Verdict verdict = decision.verdict();
    String headline = decision.headline(connection);
    if (envoy != null && dst instanceof Peer.WorkloadPeer d) {
      Workload s = src instanceof Peer.WorkloadPeer sw ? sw.workload() : null;
      AuthzRequest r = decider.request(src, d.workload(), port, attrs);
      io.meshwarden.sidecar.rbac.eval.Request.Builder req = io.meshwarden.sidecar.rbac.eval.Request.builder()
          .destinationPort(port).sourceIp(attrs.sourceIp() != null ? attrs.sourceIp()
              : s != null && !s.podIps().isEmpty() ? s.podIps().get(0) : s == null ? source : "10.0.0.1");
      if (r.principal().state() == AuthzRequest.Attr.State.KNOWN) {
        req.principal("spiffe://" + r.principal().value());
      }
      if (method != null || path != null) {
        req.method(method == null ? "GET" : method).path(path == null ? "/" : path);
      }
      try {
        var envoyDecision = EnvoyRbacExplainer.decide(envoy, d.workload().id(), req.build());
        lines.add("  generated Envoy RBAC (" + envoy + ", filter chain " + envoyDecision.chain() + "): enforced "
            + envoyDecision.enforced() + (envoyDecision.shadow() == null ? "" : "; dry-run " + envoyDecision.shadow()));
        if (!envoyDecision.dryRun().allowed() && verdict != Verdict.DENIED) {
          verdict = Verdict.DENIED;
          headline = connection + ": DENIED by generated Envoy RBAC (" + envoy + "): " + envoyDecision.dryRun();
        }
      } catch (EnvoyRbacExplainer.BadResources e) {
        err.println("meshwarden explain: " + e.getMessage());
        return ExitCodes.BAD_INPUT;
      }
    }
    out.println(headline);
    lines.forEach(out::println);
    out.flush();
    return switch (verdict) {
      case ALLOWED -> ExitCodes.OK;
      case DENIED -> ExitCodes.CHECK_FAILED;
      default -> ExitCodes.UNDECIDED;
    };
  }

  private RequestAttributes attributes() {
    Map<String, String> h = new LinkedHashMap<>();
    for (String kv : headers) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--header wants NAME=VALUE, got \"" + kv + "\"");
      }
      h.put(kv.substring(0, eq).trim().toLowerCase(Locale.ROOT), kv.substring(eq + 1));
    }
    AuthzRequest.AppProtocol app = null;
    if (appProtocol != null) {
      app = switch (appProtocol.toLowerCase(Locale.ROOT)) {
        case "http" -> AuthzRequest.AppProtocol.HTTP;
        case "tcp" -> AuthzRequest.AppProtocol.TCP;
        default -> throw new IllegalArgumentException("--app-protocol is http or tcp, not \"" + appProtocol + "\"");
      };
      if (app == AuthzRequest.AppProtocol.TCP && (method != null || path != null || host != null || !h.isEmpty())) {
        throw new IllegalArgumentException("--app-protocol tcp has no method, path, host or headers");
      }
    }
    if (sourceIp != null) {
      IpRange.parseAddress(sourceIp);
    }
    String principal = sourcePrincipal;
    if (principal != null) {
      principal = principal.equalsIgnoreCase("none") ? "" : principal.replaceFirst("^spiffe://", "");
    }
    return new RequestAttributes(app, method, path, host, h, noOtherHeaders, sourceIp, principal, sni);
  }

  private static RequestAttributes withSourceIp(RequestAttributes a, String ip) {
    return new RequestAttributes(a.protocol(), a.method(), a.path(), a.host(), a.headers(), a.headersComplete(), ip,
        a.sourcePrincipal(), a.sni());
  }

  private static String name(Peer p, String given) {
    return p instanceof Peer.WorkloadPeer ? p.displayName() : given + "[External]";
  }

  /** What the user said about the request, for the headline. */
  private static String request(RequestAttributes a) {
    List<String> parts = new ArrayList<>();
    if (a.method() != null || a.path() != null) {
      parts.add((a.method() == null ? "*" : a.method()) + " " + (a.path() == null ? "*" : a.path()));
    }
    if (a.host() != null) {
      parts.add("host " + a.host());
    }
    a.headers().forEach((k, v) -> parts.add(k + ": " + v));
    return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
  }

  /** The host of {@code DST:PORT}: an IPv6 address may be bracketed, {@code [fd00::1]:443}, as in a URL. */
  private static String host(String text) {
    return text.length() > 1 && text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
  }


  /** The destination: a workload or an address, or for a DNS name every public range it may be in. */
  private static List<Peer> destinations(ClusterModel m, Connectivity c, String ref) throws Inputs.AmbiguousException {
    if (Inputs.workload(m, ref).isEmpty() && DNS_NAME.matcher(ref).matches() && !ref.matches("[0-9.]+")) {
      return c.externalPeers(null, ref, false);
    }
    return List.of(peer(m, c, ref, false));
  }

  /** A DNS name with at least two labels, as domainNames write them (a trailing dot allowed). */
  private static final java.util.regex.Pattern DNS_NAME =
      java.util.regex.Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_]*[A-Za-z0-9])?\\.)+[A-Za-z0-9]([-A-Za-z0-9_]*[A-Za-z0-9])?\\.?");

  private static Peer peer(ClusterModel m, Connectivity c, String ref, boolean source) throws Inputs.AmbiguousException {
    Optional<Workload> w = Inputs.workload(m, ref);
    if (w.isPresent()) {
      return new Peer.WorkloadPeer(w.get());
    }
    IpRange address;
    try {
      address = IpRange.parseAddress(ref);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + ref + "\" is neither a workload in the manifests nor an IP address"
          + Inputs.nearest(m, ref).map(n -> "; did you mean " + n + "?").orElse(""));
    }
    // The address itself: it decides as the range it fell into does, and explanations name it.
    Peer.ExternalPeer range = (Peer.ExternalPeer) c.externalPeers(address, source).get(0);
    return range.range().contains(address) ? new Peer.ExternalPeer(address) : range;
  }
}
