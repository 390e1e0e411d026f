package io.meshwarden.sidecar.rbac;

import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.meshwarden.model.Protocol;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Translates a workload's ingress rules into Envoy RBAC policies, one per port rule, grouped by
 * port. Pure and deterministic: policies are keyed and emitted in name order. Stateless.
 */
public final class RbacTranslator {
  /** Which consumer the policies are for; proxyless gRPC cannot match {@code :method}. */
  public enum Form { ENVOY, GRPC }

  /**
   * The policies that guard one port.
   *
   * @param http whether any rule constrains HTTP requests (the port then needs an HTTP filter chain)
   * @param policies by name, in name order; empty when every peer had to be dropped (deny all)
   */
  public record PortPolicies(int port, boolean http, SortedMap<String, Policy> policies) {
    public PortPolicies {
      policies = Collections.unmodifiableSortedMap(new TreeMap<>(policies));
    }
  }

  private RbacTranslator() {}

  /**
   * The TCP ingress ports of {@code policy}, sorted, each with its RBAC policies. UDP and SCTP rules
   * are noted and skipped: the inbound listener only sees TCP.
   */
  public static List<PortPolicies> ingress(WorkloadPolicy policy, Form form, TranslatorOptions options,
      List<String> notes) {
    SortedMap<Integer, List<PortRule>> byPort = new TreeMap<>();
    for (PortRule r : policy.ingress()) {
      if (r.protocol() != Protocol.TCP) {
        notes.add(policy.workloadId() + ": " + r.protocol() + " " + r.port() + " is not proxied by Envoy; skipped");
        continue;
      }
      byPort.computeIfAbsent(r.port(), p -> new ArrayList<>()).add(r);
    }
    List<PortPolicies> out = new ArrayList<>();
    for (var e : byPort.entrySet()) {
      int port = e.getKey();
      SortedMap<String, Policy> policies = new TreeMap<>();
      boolean http = false;
      for (int i = 0; i < e.getValue().size(); i++) {
        PortRule rule = e.getValue().get(i);
        http |= rule.isHttp();
        String name = policyName(policy, port, i);
        policy(rule, form, options, notes, name).ifPresent(p -> policies.put(name, p));
      }
      out.add(new PortPolicies(port, http, policies));
    }
    return out;
  }

  /** An RBAC that allows exactly what the policies match. */
  public static RBAC allow(SortedMap<String, Policy> policies) {
    return RBAC.newBuilder().setAction(RBAC.Action.ALLOW).putAllPolicies(policies).build();
  }

  /** Istio-like and sortable: {@code ns[default]-workload[cart]-port[07070]-rule[0]}. */
  static String policyName(WorkloadPolicy policy, int port, int rule) {
    return String.format("ns[%s]-workload[%s]-port[%05d]-rule[%d]", policy.namespace(), policy.workloadName(), port,
        rule);
  }

  /** One rule → one policy; empty when no principal or no permission survives (fail closed). */
  static Optional<Policy> policy(PortRule rule, Form form, TranslatorOptions options, List<String> notes,
      String name) {
    List<Principal> principals = new ArrayList<>();
    for (Peer peer : rule.peers().stream().sorted().toList()) {
      principals.addAll(PrincipalGenerator.forKind(peer.kind()).principals(peer, options, notes));
    }
    List<Permission> permissions = new ArrayList<>();
    if (!rule.isHttp()) {
      permissions.add(shape(rule.port(), null));
    } else {
      for (HttpMatch m : rule.http().stream().sorted().toList()) {
        if (form == Form.GRPC && m.method() != null && !"POST".equals(m.method())) {
          notes.add(name + ": " + m.method() + " " + m.path() + " cannot reach a gRPC server (always POST); dropped");
          continue;
        }
        HttpMatch shape = form == Form.GRPC ? new HttpMatch(null, m.path(), m.prefix()) : m;
        Permission p = shape(rule.port(), shape);
        if (!permissions.contains(p)) {
          permissions.add(p);
        }
      }
    }
    if (principals.isEmpty() || permissions.isEmpty()) {
      notes.add(name + ": nothing left to allow; rule dropped");
      return Optional.empty();
    }
    return Optional.of(Policy.newBuilder().addAllPermissions(permissions).addAllPrincipals(principals).build());
  }

  private static Permission shape(int port, HttpMatch match) {
    List<Permission> and = new ArrayList<>();
    for (PermissionGenerator g : PermissionGenerator.ALL) {
      g.permission(port, match).ifPresent(and::add);
    }
    return Protos.permissionAnd(and);
  }
}
