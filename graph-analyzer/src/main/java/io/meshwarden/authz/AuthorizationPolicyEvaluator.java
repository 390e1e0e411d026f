package io.meshwarden.authz;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.MeshResource;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Decides requests the way Istio's sidecar does for security.istio.io AuthorizationPolicies, in
 * Istio's order: CUSTOM (an external authorizer; a matching request is {@link
 * Verdict#NOT_EVALUABLE}, never allowed), then any matching DENY rule denies, then if any ALLOW
 * policy applies to the workload a request must match one of its rules, else it is allowed.
 * Policies in the root namespace apply mesh-wide. AUDIT never changes a decision.
 *
 * <p>Attributes that cannot be known offline (JWT claims, request principals, unset headers) are
 * evaluated both ways: a decision that hinges on them is {@link Verdict#DEPENDS} and names them.
 * What cannot be evaluated fails closed (see {@link CompiledRule}). Policies annotated
 * {@code istio.io/dry-run: "true"} count only when asked to. Immutable and thread-safe.
 */
public final class AuthorizationPolicyEvaluator {
  public static final String ROOT_NAMESPACE = "istio-system";
  public static final String DRY_RUN_ANNOTATION = "istio.io/dry-run";
  private static final Set<String> SPEC_KEYS = Set.of("selector", "targetRef", "targetRefs", "rules", "action",
      "provider");

  /** How the mesh is configured where it matters to authorization. */
  public record Options(TrustDomains trustDomains, String rootNamespace) {
    public static final Options DEFAULT = new Options(TrustDomains.DEFAULT, ROOT_NAMESPACE);

    public Options {
      Objects.requireNonNull(trustDomains, "trustDomains");
      Objects.requireNonNull(rootNamespace, "rootNamespace");
    }
  }

  enum Action { ALLOW, DENY, CUSTOM }

  /** A policy, compiled once; a null selector selects every workload of the namespace (or mesh). */
  record Policy(String namespace, String name, Map<String, String> selector, Action action, List<CompiledRule> rules,
      boolean dryRun, Origin origin, String provider, Set<Integer> ports) {
    String qualified() {
      return "AuthorizationPolicy " + namespace + "/" + name;
    }
  }

  private final List<Policy> policies;
  private final Options options;
  private final List<AuthzDiagnostic> diagnostics;
  private final Map<Workload, List<Policy>> byWorkload;

  private AuthorizationPolicyEvaluator(List<Policy> policies, Options options, List<AuthzDiagnostic> diagnostics,
      List<Workload> workloads) {
    this.policies = List.copyOf(policies);
    this.options = options;
    this.diagnostics = List.copyOf(diagnostics);
    Map<Workload, List<Policy>> m = new IdentityHashMap<>();
    for (Workload w : workloads) {
      m.put(w, select(w));
    }
    this.byWorkload = m;
  }

  /** Compiles the model's AuthorizationPolicies with Istio's defaults; diagnostics go to {@code warn}. */
  public static AuthorizationPolicyEvaluator of(ClusterModel model, Consumer<String> warn) {
    AuthorizationPolicyEvaluator e = of(model, Options.DEFAULT);
    e.diagnostics().forEach(d -> warn.accept(d.toString()));
    return e;
  }

  /** Compiles the model's AuthorizationPolicies; what cannot be honoured is in {@link #diagnostics()}. */
  public static AuthorizationPolicyEvaluator of(ClusterModel model, Options options) {
    List<Policy> out = new ArrayList<>();
    List<AuthzDiagnostic> diags = new ArrayList<>();
    for (MeshResource r : model.meshResources()) {
      if (r.kind().equals("AuthorizationPolicy") && r.apiVersion().startsWith("security.istio.io/")) {
        Policy p = compile(r, options, diags::add);
        if (p != null) {
          out.add(p);
        }
      }
    }
    out.sort(Comparator.comparing(Policy::namespace).thenComparing(Policy::name));
    return new AuthorizationPolicyEvaluator(out, options, diags, model.workloads());
  }

  private static Policy compile(MeshResource r, Options options, Consumer<AuthzDiagnostic> diags) {
    String qualified = "AuthorizationPolicy " + r.namespace() + "/" + r.name();
    Map<String, Object> spec = r.spec();
    if (spec.containsKey("targetRef") || spec.containsKey("targetRefs")) {
      diags.accept(new AuthzDiagnostic(AuthzDiagnostic.NOT_FOR_SIDECARS, AuthzDiagnostic.Severity.INFO, r.origin(),
          qualified + " uses targetRef(s), which bind it to waypoints or gateways, not to sidecars; not evaluated"));
      return null;
    }
    String actionText = spec.get("action") == null ? "ALLOW" : String.valueOf(spec.get("action")).toUpperCase(Locale.ROOT);
    if (actionText.equals("AUDIT")) {
      diags.accept(new AuthzDiagnostic(AuthzDiagnostic.AUDIT_ACTION, AuthzDiagnostic.Severity.INFO, r.origin(),
          qualified + " has action AUDIT, which only marks requests for logging; it changes no decision"));
      return null;
    }
    String problem = null;
    Action action;
    try {
      action = Action.valueOf(actionText);
    } catch (IllegalArgumentException e) {
      problem = "unknown action \"" + spec.get("action") + "\"";
      action = Action.DENY;
    }
    for (String k : spec.keySet()) {
      if (!SPEC_KEYS.contains(k) && problem == null) {
        problem = "unknown key \"" + k + "\" in spec";
      }
    }
    Map<String, String> selector = new TreeMap<>();
    Map<String, Object> sel = Values.map(spec.get("selector"));
    if (sel != null) {
      for (String k : sel.keySet()) {
        if (!k.equals("matchLabels")) {
          // Selecting more workloads is the closed side: their ALLOW rules match nothing (below).
          selector = null;
          if (problem == null) {
            problem = "unknown key \"" + k + "\" in selector";
          }
        }
      }
      if (sel.get("matchLabels") != null && Values.map(sel.get("matchLabels")) == null) {
        selector = null;
        if (problem == null) {
          problem = "selector.matchLabels is not a mapping";
        }
      }
      Map<String, Object> ml = Values.map(sel.get("matchLabels"));
      if (ml != null && selector != null) {
        for (Map.Entry<String, Object> e : ml.entrySet()) {
          selector.put(e.getKey(), String.valueOf(e.getValue()));
        }
      }
    }
    boolean deny = action != Action.ALLOW;
    if (problem != null) {
      diags.accept(new AuthzDiagnostic(AuthzDiagnostic.UNKNOWN_KEY, AuthzDiagnostic.Severity.WARNING, r.origin(),
          qualified + ": " + problem + "; " + (deny ? "every DENY rule is taken to match every request"
              : "every ALLOW rule is taken to match nothing")));
    }
    RuleCompiler compiler = new RuleCompiler(qualified, r.namespace(), r.origin(), deny, options.trustDomains(), diags);
    List<CompiledRule> rules = new ArrayList<>();
    List<Object> raw = Values.list(spec.get("rules"));
    if (raw == null && spec.get("rules") != null) {
      diags.accept(new AuthzDiagnostic(AuthzDiagnostic.INVALID_VALUE, AuthzDiagnostic.Severity.WARNING, r.origin(),
          qualified + ": rules is not a list; " + (deny ? "the policy is taken to match every request"
              : "the policy allows nothing")));
      if (deny) {
        rules.add(new CompiledRule(1, r.origin(), true, null, null, List.of(), false, "rules is not a list"));
      }
    }
    if (raw != null) {
      int i = 0;
      for (Object rule : raw) {
        CompiledRule c = compiler.compile(++i, rule);
        if (problem != null && c.failClosed() == null) {
          c = new CompiledRule(c.index(), c.origin(), deny, c.from(), c.to(), c.when(), c.httpOnly(), problem);
        }
        rules.add(c);
      }
    }
    String provider = null;
    if (action == Action.CUSTOM) {
      Map<String, Object> pr = Values.map(spec.get("provider"));
      provider = pr == null || pr.get("name") == null ? "(no provider)" : String.valueOf(pr.get("name"));
      diags.accept(new AuthzDiagnostic(AuthzDiagnostic.CUSTOM_ACTION, AuthzDiagnostic.Severity.INFO, r.origin(),
          qualified + " delegates matching requests to the external authorizer \"" + provider
              + "\"; they are reported as not evaluable"));
    }
    return new Policy(r.namespace(), r.name(), selector, action, rules,
        "true".equalsIgnoreCase(r.annotations().get(DRY_RUN_ANNOTATION)), r.origin(), provider,
        compiler.mentionedPorts());
  }

  /** What could not be honoured as written, in policy order. */
  public List<AuthzDiagnostic> diagnostics() {
    return diagnostics;
  }

  public Options options() {
    return options;
  }

  /** Whether any ALLOW, DENY or CUSTOM policy exists at all. */
  public boolean hasPolicies() {
    return !policies.isEmpty();
  }

  /** Whether any policy (dry-run ones too when asked) applies to the workload's sidecar. */
  public boolean hasPoliciesFor(Workload w, boolean includeDryRun) {
    return applicable(w).stream().anyMatch(p -> includeDryRun || !p.dryRun());
  }

  /**
   * The ports the policies that apply to {@code w} name (in {@code ports}, {@code notPorts} or a
   * {@code destination.port} condition): on every other port their decisions are the same.
   */
  public Set<Integer> portsNamed(Workload w, boolean includeDryRun) {
    java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
    applicable(w).stream().filter(p -> includeDryRun || !p.dryRun()).forEach(p -> out.addAll(p.ports()));
    return java.util.Collections.unmodifiableSet(out);
  }

  /** Decides with enforced policies only, or as if dry-run ones were enforced too. */
  public AuthzDecision decide(AuthzRequest req, boolean includeDryRun) {
    List<Policy> applicable = applicable(req.destination()).stream().filter(p -> includeDryRun || !p.dryRun())
        .toList();
    if (applicable.isEmpty()) {
      return new AuthzDecision(Verdict.ALLOWED, null, 0, Origin.UNKNOWN, "no AuthorizationPolicy applies to "
          + req.destination().namespace() + "/" + req.destination().name(), List.of());
    }
    if (req.protocol() != AuthzRequest.AppProtocol.UNKNOWN) {
      return decideOne(applicable, req);
    }
    AuthzDecision tcp = decideOne(applicable, req.withProtocol(AuthzRequest.AppProtocol.TCP));
    AuthzDecision http = decideOne(applicable, req.withProtocol(AuthzRequest.AppProtocol.HTTP));
    if (tcp.verdict() == http.verdict()) {
      TreeSet<String> deps = new TreeSet<>(http.dependsOn());
      deps.addAll(tcp.dependsOn());
      return new AuthzDecision(http.verdict(), http.policy(), http.rule(), http.origin(), http.reason(),
          List.copyOf(deps));
    }
    AuthzDecision blocking = http.verdict() == Verdict.ALLOWED ? tcp : http;
    TreeSet<String> deps = new TreeSet<>(http.dependsOn());
    deps.addAll(tcp.dependsOn());
    deps.add("application protocol (HTTP or TCP)");
    return new AuthzDecision(Verdict.DEPENDS, blocking.policy(), blocking.rule(), blocking.origin(),
        "as a TCP connection " + tcp.verdict() + (tcp.policy() == null ? "" : " by " + tcp.policyAndRule())
            + "; as HTTP " + http.verdict() + (http.policy() == null ? "" : " by " + http.policyAndRule()),
        List.copyOf(deps));
  }

  private AuthzDecision decideOne(List<Policy> applicable, AuthzRequest req) {
    Policy custom = null;
    CompiledRule customRule = null;
    for (Policy p : applicable) {
      if (p.action() == Action.CUSTOM && custom == null) {
        for (CompiledRule r : p.rules()) {
          if (!r.eval(req).no()) {
            custom = p;
            customRule = r;
            break;
          }
        }
      }
    }
    Policy maybeDeny = null;
    CompiledRule maybeDenyRule = null;
    TreeSet<String> deps = new TreeSet<>();
    for (Policy p : applicable) {
      if (p.action() != Action.DENY) {
        continue;
      }
      for (CompiledRule r : p.rules()) {
        Match m = r.eval(req);
        if (m.yes()) {
          return new AuthzDecision(Verdict.DENIED, p.qualified(), r.index(), r.origin(), "a DENY rule matches"
              + (r.failClosed() == null ? "" : " (fails closed: " + r.failClosed() + ")"), List.of());
        }
        if (m.maybe()) {
          deps.addAll(m.dependsOn());
          if (maybeDeny == null) {
            maybeDeny = p;
            maybeDenyRule = r;
          }
        }
      }
    }
    List<Policy> allows = applicable.stream().filter(p -> p.action() == Action.ALLOW).toList();
    Policy allowedBy = null;
    CompiledRule allowedRule = null;
    Policy maybeAllow = null;
    CompiledRule maybeAllowRule = null;
    TreeSet<String> allowDeps = new TreeSet<>();
    for (Policy p : allows) {
      for (CompiledRule r : p.rules()) {
        Match m = r.eval(req);
        if (m.yes()) {
          allowedBy = p;
          allowedRule = r;
          break;
        }
        if (m.maybe()) {
          allowDeps.addAll(m.dependsOn());
          if (maybeAllow == null) {
            maybeAllow = p;
            maybeAllowRule = r;
          }
        }
      }
      if (allowedBy != null) {
        break;
      }
    }
    if (!allows.isEmpty() && allowedBy == null && maybeAllow == null) {
      Policy first = allows.get(0);
      return new AuthzDecision(Verdict.DENIED, first.qualified(), 0, first.origin(), "ALLOW policies apply ("
          + String.join(", ", allows.stream().map(Policy::qualified).toList()) + ") and none of their rules matches"
          + (req.protocol() == AuthzRequest.AppProtocol.TCP && allows.stream().flatMap(p -> p.rules().stream())
              .anyMatch(CompiledRule::httpOnly) ? " (rules with HTTP-only fields match no TCP connection)" : ""),
          List.of());
    }
    if (custom != null) {
      return new AuthzDecision(Verdict.NOT_EVALUABLE, custom.qualified(), customRule.index(), customRule.origin(),
          "CUSTOM action: the external authorizer \"" + custom.provider() + "\" decides", List.of());
    }
    if (maybeDeny != null || allowedBy == null) {
      if (allowedBy == null) {
        deps.addAll(allowDeps);
      }
      boolean denyDecides = maybeDeny != null;
      Policy p = denyDecides ? maybeDeny : maybeAllow;
      CompiledRule r = denyDecides ? maybeDenyRule : maybeAllowRule;
      if (p != null) {
        return new AuthzDecision(Verdict.DEPENDS, p.qualified(), r.index(), r.origin(), denyDecides
            ? "a DENY rule matches only for some values of what is not known"
            : "an ALLOW rule matches only for some values of what is not known", List.copyOf(deps));
      }
      return new AuthzDecision(Verdict.ALLOWED, null, 0, Origin.UNKNOWN, "no ALLOW policy applies to "
          + req.destination().namespace() + "/" + req.destination().name() + " and no DENY rule matches", List.of());
    }
    return new AuthzDecision(Verdict.ALLOWED, allowedBy.qualified(), allowedRule.index(), allowedRule.origin(),
        "an ALLOW rule matches", List.of());
  }

  private List<Policy> applicable(Workload w) {
    List<Policy> cached = byWorkload.get(w);
    return cached != null ? cached : select(w);
  }

  private List<Policy> select(Workload w) {
    List<Policy> out = new ArrayList<>();
    for (Policy p : policies) {
      if (applies(p, w)) {
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  private boolean applies(Policy p, Workload w) {
    if (!p.namespace().equals(options.rootNamespace()) && !p.namespace().equals(w.namespace())) {
      return false;
    }
    if (p.selector() == null) {
      return true;
    }
    for (Map.Entry<String, String> e : p.selector().entrySet()) {
      if (!e.getValue().equals(w.podLabels().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

}
