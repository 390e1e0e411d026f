package io.meshwarden.decision;

import io.meshwarden.authz.AuthorizationPolicyEvaluator;
import io.meshwarden.authz.AuthzDecision;
import io.meshwarden.authz.AuthzRequest;
import io.meshwarden.authz.AuthzRequest.AppProtocol;
import io.meshwarden.authz.AuthzRequest.Attr;
import io.meshwarden.authz.Verdict;
import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.Explanation;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Service;
import io.meshwarden.model.ServicePort;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The one place that decides a connection or request across layers, for every consumer: explain,
 * dry-run, the graph and findings. Pure over an immutable model; as thread-safe as the {@link
 * Connectivity} it is given (which is not), so use one per thread.
 *
 * <p>Assumptions, stated once: workloads run an Istio sidecar unless their pods are labelled
 * {@code sidecar.istio.io/inject: "false"} or their namespace {@code istio-injection: disabled};
 * two meshed workloads talk mTLS, so the source's principal is its service account's SPIFFE id;
 * peers outside the mesh are plaintext. Istio authorization applies to TCP only (a sidecar does
 * not intercept UDP or SCTP).
 */
public final class LayeredDecider {
  private final ClusterModel model;
  private final Connectivity connectivity;
  private final AuthorizationPolicyEvaluator authz;
  private final Map<String, Map<Integer, AppProtocol>> servicePorts;

  private LayeredDecider(ClusterModel model, Connectivity connectivity, AuthorizationPolicyEvaluator authz) {
    this.model = Objects.requireNonNull(model, "model");
    this.connectivity = Objects.requireNonNull(connectivity, "connectivity");
    this.authz = Objects.requireNonNull(authz, "authz");
    this.servicePorts = servicePorts(model);
  }

  /** A decider over an analysis already made; {@code authz} compiled from the same model. */
  public static LayeredDecider of(ClusterModel model, Connectivity connectivity, AuthorizationPolicyEvaluator authz) {
    return new LayeredDecider(model, connectivity, authz);
  }

  public ClusterModel model() {
    return model;
  }

  public AuthorizationPolicyEvaluator authorization() {
    return authz;
  }

  public Connectivity connectivity() {
    return connectivity;
  }

  /**
   * Every layer's verdict for one connection (or request, with attributes) from {@code src} to
   * {@code dst} on {@code port}, and the final verdict. {@code includeDryRun} counts Istio policies
   * annotated {@code istio.io/dry-run} as enforced.
   */
  public LayeredDecision decide(Peer src, Peer dst, Protocol protocol, int port, RequestAttributes attrs,
      boolean includeDryRun) {
    Explanation x = connectivity.explain(src, dst, protocol, port);
    List<LayerDecision> layers = new ArrayList<>();
    layers.add(l4(Layer.L4_EGRESS, x.egress()));
    layers.add(l4(Layer.L4_INGRESS, x.ingress()));
    if (dst instanceof Peer.WorkloadPeer d) {
      layers.add(authzLayer(authz(src, d.workload(), protocol, port, attrs, includeDryRun)));
    }
    return LayeredDecision.of(layers);
  }

  /**
   * Istio's decision alone, for a connection the L4 layers already let through. With
   * {@link RequestAttributes#NONE} this is the graph's question: with nothing known about the
   * requests, does authorization allow all of them (ALLOWED), none (DENIED), some (DEPENDS, naming
   * what they differ in), or does an external authorizer decide (NOT_EVALUABLE)?
   */
  public AuthzDecision authz(Peer src, Workload dst, Protocol protocol, int port, RequestAttributes attrs,
      boolean includeDryRun) {
    if (protocol != Protocol.TCP) {
      return new AuthzDecision(Verdict.ALLOWED, null, 0, Origin.UNKNOWN,
          "Istio authorization applies to TCP only; " + protocol + " is not intercepted by the sidecar", List.of());
    }
    if (!meshed(dst)) {
      return new AuthzDecision(Verdict.ALLOWED, null, 0, Origin.UNKNOWN, dst.namespace() + "/" + dst.name()
          + " runs no Istio sidecar (injection disabled), so no AuthorizationPolicy is enforced", List.of());
    }
    if (!authz.hasPoliciesFor(dst, includeDryRun)) {
      return new AuthzDecision(Verdict.ALLOWED, null, 0, Origin.UNKNOWN,
          "no AuthorizationPolicy applies to " + dst.namespace() + "/" + dst.name(), List.of());
    }
    return authz.decide(request(src, dst, port, attrs), includeDryRun);
  }

  /** The request Istio would see, from what the peers imply and the caller adds. */
  public AuthzRequest request(Peer src, Workload dst, int port, RequestAttributes attrs) {
    AuthzRequest.Builder b = AuthzRequest.to(dst, port).destinationIps(addresses(dst));
    AppProtocol p = attrs.protocol() != null ? attrs.protocol()
        : attrs.anyHttp() ? AppProtocol.HTTP : appProtocol(dst, port);
    b.protocol(p).method(attrs.method()).path(attrs.path()).host(attrs.host())
        .headers(attrs.headers(), attrs.headersComplete()).sni(Attr.ofNullable(attrs.sni()));
    if (src instanceof Peer.WorkloadPeer s) {
      Workload w = s.workload();
      b.principal(meshed(w) ? Attr.of(principal(w)) : Attr.ABSENT).sourceIps(addresses(w));
    } else if (src instanceof Peer.ExternalPeer e) {
      b.principal(Attr.ABSENT).sourceIps(List.of(e.range()));
    }
    if (attrs.sourceIp() != null) {
      b.sourceIps(List.of(IpRange.parseAddress(attrs.sourceIp())));
    }
    if (attrs.sourcePrincipal() != null) {
      b.principal(attrs.sourcePrincipal().isEmpty() ? Attr.ABSENT : Attr.of(attrs.sourcePrincipal()));
    }
    return b.build();
  }

  /** The source principal Istio sees from a meshed workload: {@code <trust-domain>/ns/<ns>/sa/<sa>}. */
  public String principal(Workload w) {
    return authz.options().trustDomains().local() + "/ns/" + w.namespace() + "/sa/" + w.serviceAccount();
  }

  /** Whether the workload's pods get an Istio sidecar (injection not disabled on the pods or namespace). */
  public boolean meshed(Workload w) {
    if ("false".equals(w.podLabels().get("sidecar.istio.io/inject"))) {
      return false;
    }
    return !"disabled".equals(model.namespace(w.namespace()).labels().get("istio-injection"));
  }

  private static List<IpRange> addresses(Workload w) {
    List<IpRange> out = new ArrayList<>();
    for (String ip : w.podIps()) {
      try {
        out.add(IpRange.parseAddress(ip));
      } catch (IllegalArgumentException e) {
        // A pod address we cannot read: the workload's addresses stay unknown rather than partial.
        return List.of();
      }
    }
    return out;
  }

  /**
   * What the sidecar parses on a port, from the name of a Service port that targets it (Istio's
   * protocol selection: {@code <protocol>[-<suffix>]}); unknown when no Service says or Services
   * disagree, since Istio then sniffs.
   */
  AppProtocol appProtocol(Workload dst, int port) {
    AppProtocol p = servicePorts.getOrDefault(dst.id(), Map.of()).get(port);
    return p == null ? AppProtocol.UNKNOWN : p;
  }

  /** Per workload, the ports Services target and what their names say is spoken there. */
  private static Map<String, Map<Integer, AppProtocol>> servicePorts(ClusterModel model) {
    Map<String, List<Workload>> byNamespace = new HashMap<>();
    model.workloads().forEach(w -> byNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w));
    Map<String, Map<Integer, AppProtocol>> out = new HashMap<>();
    for (Service s : model.services()) {
      for (Workload w : byNamespace.getOrDefault(s.namespace(), List.of())) {
        if (!s.selects(w)) {
          continue;
        }
        for (ServicePort sp : s.ports()) {
          int target = sp.targetPort().isNamed() ? w.resolveNamedPort(sp.targetPort().name(), sp.protocol())
              : sp.targetPort().number();
          if (target > 0) {
            out.computeIfAbsent(w.id(), k -> new HashMap<>()).merge(target, byName(sp.name()),
                (a, b) -> a == b ? a : AppProtocol.UNKNOWN);
          }
        }
      }
    }
    return out;
  }

  /**
   * Istio's decision per port over an L4-allowed set, with nothing known of the requests: TCP ports
   * grouped by decision (a port a policy names, or a Service targets, may differ from the rest;
   * all other ports share one decision). UDP and SCTP are not subject to Istio authorization and
   * are left out. This is how the graph marks an edge: DENIED everywhere means AuthZ closes it.
   */
  public List<PortDecision> authzByPort(Peer src, Workload dst, ConnectionSet l4, boolean includeDryRun) {
    int[] tcp = l4.ranges(Protocol.TCP);
    if (tcp.length == 0) {
      return List.of();
    }
    java.util.TreeSet<Integer> special = new java.util.TreeSet<>(authz.portsNamed(dst, includeDryRun));
    special.addAll(servicePorts.getOrDefault(dst.id(), Map.of()).keySet());
    Map<String, PortDecision> groups = new LinkedHashMap<>();
    ConnectionSet all = l4.intersect(ConnectionSet.allOf(Protocol.TCP)).withoutNames();
    ConnectionSet rest = all;
    for (int port : special) {
      if (!all.contains(Protocol.TCP, port)) {
        continue;
      }
      ConnectionSet one = ConnectionSet.port(Protocol.TCP, port);
      rest = rest.subtract(one);
      add(groups, one, authz(src, dst, Protocol.TCP, port, RequestAttributes.NONE, includeDryRun));
    }
    int[] left = rest.ranges(Protocol.TCP);
    if (left.length > 0) {
      add(groups, rest, authz(src, dst, Protocol.TCP, left[0], RequestAttributes.NONE, includeDryRun));
    }
    return List.copyOf(groups.values());
  }

  /** The part of {@code l4} that Istio authorization may let through (all but its DENIED TCP ports). */
  public ConnectionSet authzMayAllow(Peer src, Workload dst, ConnectionSet l4, boolean includeDryRun) {
    ConnectionSet out = l4;
    for (PortDecision d : authzByPort(src, dst, l4, includeDryRun)) {
      if (d.decision().verdict() == Verdict.DENIED) {
        out = out.subtract(d.ports());
      }
    }
    return out;
  }

  /** TCP ports that share one Istio decision. */
  public record PortDecision(ConnectionSet ports, AuthzDecision decision) {
    public PortDecision {
      Objects.requireNonNull(ports, "ports");
      Objects.requireNonNull(decision, "decision");
    }
  }

  private static void add(Map<String, PortDecision> groups, ConnectionSet ports, AuthzDecision d) {
    String key = d.verdict() + "|" + d.policy() + "|" + d.rule() + "|" + d.reason() + "|" + d.dependsOn();
    groups.merge(key, new PortDecision(ports, d), (a, b) -> new PortDecision(a.ports().union(b.ports()), a.decision()));
  }

  private static AppProtocol byName(String name) {
    if (name == null) {
      return AppProtocol.UNKNOWN;
    }
    String n = name.toLowerCase(Locale.ROOT);
    int dash = n.indexOf('-');
    String prefix = dash < 0 ? n : n.substring(0, dash);
    return switch (prefix) {
      case "http", "http2", "grpc", "grpc-web", "h2c" -> AppProtocol.HTTP;
      case "tcp", "tls", "https", "mongo", "mysql", "redis", "thrift", "zookeeper" -> AppProtocol.TCP;
      default -> AppProtocol.UNKNOWN;
    };
  }

  private static LayerDecision l4(Layer layer, Explanation.Side side) {
    Explanation.DecidedBy by = side.decidedBy();
    // A denial a domainNames rule may have accepted depends on what the name resolves to.
    Verdict v = side.allowed() ? Verdict.ALLOWED : side.depends() ? Verdict.DEPENDS : Verdict.DENIED;
    return new LayerDecision(layer, v,
        by == null ? null : by.policy(), by == null ? null : by.rule(), by == null ? Origin.UNKNOWN : by.origin(),
        side.steps().isEmpty() ? (side.allowed() ? "allowed" : "denied") : side.steps().get(side.steps().size() - 1),
        side.depends() ? side.dependsOn() : List.of(), side.steps());
  }

  private static LayerDecision authzLayer(AuthzDecision d) {
    return new LayerDecision(Layer.ISTIO_AUTHZ, d.verdict(), d.policy(), d.rule() > 0 ? "rule #" + d.rule() : null,
        d.origin(), d.reason(), d.dependsOn(), List.of(d.toString()));
  }
}
