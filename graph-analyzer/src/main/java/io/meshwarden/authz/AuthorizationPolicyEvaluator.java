package io.meshwarden.authz;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.MeshResource;
import io.meshwarden.model.Origin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decides requests the way Istio's sidecar does for security.istio.io AuthorizationPolicies:
 * CUSTOM is not evaluated (an external authorizer decides; reported), then any matching DENY rule
 * denies, then if any ALLOW policy applies to the workload a request must match one of its rules,
 * else it is allowed. Policies in the root namespace ({@code istio-system}) apply mesh-wide.
 *
 * <p>What cannot be evaluated fails closed, as Istio does: an unsupported condition makes an ALLOW
 * rule match nothing and a DENY rule match everything. Policies annotated
 * {@code istio.io/dry-run: "true"} are evaluated only in dry-run.
 */
public final class AuthorizationPolicyEvaluator {
  public static final String ROOT_NAMESPACE = "istio-system";
  public static final String DRY_RUN_ANNOTATION = "istio.io/dry-run";

  /** A policy, parsed once. */
  record Policy(String namespace, String name, Map<String, String> selector, String action, List<Object> rules,
      boolean dryRun, Origin origin) {
    String qualified() {
      return "AuthorizationPolicy " + namespace + "/" + name;
    }
  }

  private final List<Policy> policies;

  private AuthorizationPolicyEvaluator(List<Policy> policies) {
    this.policies = List.copyOf(policies);
  }

  /** Compiles the model's AuthorizationPolicies; what cannot be honoured is reported to {@code warn}. */
  public static AuthorizationPolicyEvaluator of(ClusterModel model, Consumer<String> warn) {
    List<Policy> out = new ArrayList<>();
    for (MeshResource r : model.meshResources()) {
      if (!r.kind().equals("AuthorizationPolicy") || !r.apiVersion().startsWith("security.istio.io/")) {
        continue;
      }
      Map<String, Object> spec = r.spec();
      if (spec.containsKey("targetRef") || spec.containsKey("targetRefs")) {
        warn.accept(r.origin() + ": AuthorizationPolicy " + r.namespace() + "/" + r.name()
            + " uses targetRef(s) (waypoints/gateways), which sidecar evaluation does not model; ignored");
        continue;
      }
      String action = spec.get("action") == null ? "ALLOW" : String.valueOf(spec.get("action")).toUpperCase(Locale.ROOT);
      if (action.equals("CUSTOM") || action.equals("AUDIT")) {
        warn.accept(r.origin() + ": AuthorizationPolicy " + r.namespace() + "/" + r.name() + " has action " + action
            + ", decided outside the sidecar's RBAC; not evaluated");
        continue;
      }
      Map<String, Object> selector = Values.map(spec.get("selector"));
      Map<String, String> labels = new java.util.TreeMap<>();
      Map<String, Object> ml = selector == null ? null : Values.map(selector.get("matchLabels"));
      if (ml != null) {
        ml.forEach((k, v) -> labels.put(k, String.valueOf(v)));
      }
      List<Object> rules = Values.list(spec.get("rules"));
      out.add(new Policy(r.namespace(), r.name(), labels, action, rules == null ? List.of() : rules,
          "true".equalsIgnoreCase(r.annotations().get(DRY_RUN_ANNOTATION)), r.origin()));
    }
    out.sort(Comparator.comparing(Policy::namespace).thenComparing(Policy::name));
    return new AuthorizationPolicyEvaluator(out);
  }

  /** Whether any policy (of any action) applies to the workload's sidecar. */
  public boolean hasPolicies() {
    return !policies.isEmpty();
  }

  /** Decides with enforced policies only ({@code dryRun} false) or as if dry-run ones were enforced too. */
  public AuthzDecision decide(AuthzRequest req, boolean includeDryRun) {
    List<Policy> applicable = policies.stream().filter(p -> includeDryRun || !p.dryRun())
        .filter(p -> applies(p, req)).toList();
    for (Policy p : applicable) {
      if (p.action().equals("DENY")) {
        int i = 0;
        for (Object rule : p.rules()) {
          i++;
          if (RuleMatcher.matches(rule, req, true)) {
            return new AuthzDecision(false, p.qualified(), i, p.origin(), "a DENY rule matches");
          }
        }
      }
    }
    List<Policy> allows = applicable.stream().filter(p -> p.action().equals("ALLOW")).toList();
    if (allows.isEmpty()) {
      return new AuthzDecision(true, null, 0, Origin.UNKNOWN, "no ALLOW policy applies to "
          + req.destination().namespace() + "/" + req.destination().name());
    }
    for (Policy p : allows) {
      int i = 0;
      for (Object rule : p.rules()) {
        i++;
        if (RuleMatcher.matches(rule, req, false)) {
          return new AuthzDecision(true, p.qualified(), i, p.origin(), "an ALLOW rule matches");
        }
      }
    }
    Policy first = allows.get(0);
    return new AuthzDecision(false, first.qualified(), 0, first.origin(), "ALLOW policies apply ("
        + String.join(", ", allows.stream().map(Policy::qualified).toList()) + ") and none of their rules matches");
  }

  private static boolean applies(Policy p, AuthzRequest req) {
    if (!p.namespace().equals(ROOT_NAMESPACE) && !p.namespace().equals(req.destination().namespace())) {
      return false;
    }
    for (Map.Entry<String, String> e : p.selector().entrySet()) {
      if (!e.getValue().equals(req.destination().podLabels().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Whether an address is in a CIDR or equals an address (Istio accepts both forms). */
  static boolean inBlock(String ip, String block) {
    if (ip == null || IpRange.isIpv6(block) || IpRange.isIpv6(ip)) {
      return false;
    }
    try {
      IpRange r = IpRange.parseCidr(block.contains("/") ? block : block + "/32");
      long a = IpRange.parseAddress(ip);
      return a >= r.first() && a <= r.last();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
