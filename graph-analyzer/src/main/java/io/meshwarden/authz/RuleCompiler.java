package io.meshwarden.authz;

import io.meshwarden.authz.AuthzRequest.Attr;
import io.meshwarden.authz.CompiledRule.FieldTest;
import io.meshwarden.authz.CompiledRule.Test;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Located;
import io.meshwarden.model.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Compiles one rule of one policy into a {@link CompiledRule}: one small generator per field and
 * per condition key (Istio's {@code model.go} shape), each reporting what it cannot honour as an
 * {@link AuthzDiagnostic} at the line of the mapping that holds it.
 */
final class RuleCompiler {
  private static final Set<String> RULE_KEYS = Set.of("from", "to", "when");
  private static final Set<String> SOURCE_KEYS = Set.of("principals", "notPrincipals", "requestPrincipals",
      "notRequestPrincipals", "namespaces", "notNamespaces", "serviceAccounts", "notServiceAccounts", "ipBlocks",
      "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks", "trustDomains", "notTrustDomains");
  private static final Set<String> OPERATION_KEYS = Set.of("hosts", "notHosts", "ports", "notPorts", "methods",
      "notMethods", "paths", "notPaths");
  private static final Set<String> CONDITION_KEYS = Set.of("key", "values", "notValues");

  private final String policy;
  private final String policyNamespace;
  private final Origin policyOrigin;
  private final boolean deny;
  private final TrustDomains trustDomains;
  private final Consumer<AuthzDiagnostic> diagnostics;
  /** Every port any rule of the policy names, so callers know where decisions can change. */
  private final java.util.TreeSet<Integer> mentionedPorts = new java.util.TreeSet<>();
  /** Set while compiling one rule. */
  private String failClosed;
  private boolean httpOnly;

  RuleCompiler(String policy, String policyNamespace, Origin policyOrigin, boolean deny, TrustDomains trustDomains,
      Consumer<AuthzDiagnostic> diagnostics) {
    this.policy = policy;
    this.policyNamespace = policyNamespace;
    this.policyOrigin = policyOrigin;
    this.deny = deny;
    this.trustDomains = trustDomains;
    this.diagnostics = diagnostics;
  }

  Set<Integer> mentionedPorts() {
    return Set.copyOf(mentionedPorts);
  }

  CompiledRule compile(int index, Object raw) {
    failClosed = null;
    httpOnly = false;
    Origin origin = at(raw);
    Map<String, Object> rule = Values.map(raw);
    if (rule == null) {
      closed(origin, AuthzDiagnostic.INVALID_VALUE, "rule #" + index + " is not a mapping");
      return new CompiledRule(index, origin, deny, null, null, List.of(), false, failClosed);
    }
    unknownKeys(rule, RULE_KEYS, "rule #" + index, origin);
    List<List<FieldTest>> from = alternatives(rule, "from", "source", origin);
    List<List<FieldTest>> to = alternatives(rule, "to", "operation", origin);
    List<FieldTest> when = new ArrayList<>();
    List<Object> conditions = list(rule, "when", origin);
    if (conditions != null) {
      for (Object c : conditions) {
        FieldTest t = condition(c, at(c, origin));
        if (t != null) {
          when.add(t);
        }
      }
    }
    return new CompiledRule(index, origin, deny, from, to, when, httpOnly, failClosed);
  }

  /** {@code from} or {@code to}: a list of {@code {source: ...}} or {@code {operation: ...}}; empty means any. */
  private List<List<FieldTest>> alternatives(Map<String, Object> rule, String key, String inner, Origin origin) {
    List<Object> items = list(rule, key, origin);
    if (items == null || items.isEmpty()) {
      return null;
    }
    List<List<FieldTest>> out = new ArrayList<>();
    for (Object item : items) {
      Origin o = at(item, origin);
      Map<String, Object> m = Values.map(item);
      if (m == null) {
        closed(o, AuthzDiagnostic.INVALID_VALUE, "an item of \"" + key + "\" is not a mapping");
        continue;
      }
      unknownKeys(m, Set.of(inner), "\"" + key + "\" item", o);
      Object body = m.get(inner);
      if (body == null) {
        out.add(List.of());
        continue;
      }
      Map<String, Object> fields = Values.map(body);
      if (fields == null) {
        closed(o, AuthzDiagnostic.INVALID_VALUE, "\"" + inner + "\" is not a mapping");
        continue;
      }
      Origin fo = at(body, o);
      out.add(inner.equals("source") ? source(fields, fo) : operation(fields, fo));
    }
    return out;
  }

  private List<FieldTest> source(Map<String, Object> s, Origin o) {
    unknownKeys(s, SOURCE_KEYS, "source", o);
    boolean sa = s.containsKey("serviceAccounts") || s.containsKey("notServiceAccounts");
    if (sa && (s.containsKey("principals") || s.containsKey("notPrincipals") || s.containsKey("namespaces")
        || s.containsKey("notNamespaces"))) {
      closed(o, AuthzDiagnostic.INVALID_VALUE,
          "serviceAccounts cannot be set with principals or namespaces (Istio rejects the policy)");
    }
    List<FieldTest> out = new ArrayList<>();
    add(out, field(s, "principals", "notPrincipals", "source.principal", false, o, this::principal));
    add(out, field(s, "namespaces", "notNamespaces", "source.namespace", false, o, this::namespace));
    add(out, field(s, "serviceAccounts", "notServiceAccounts", "source.serviceAccount", false, o,
        this::serviceAccount));
    add(out, field(s, "trustDomains", "notTrustDomains", "source.trustDomain", false, o, this::trustDomain));
    add(out, ipField(s, "ipBlocks", "notIpBlocks", "source.ip", o, AuthzRequest::sourceIps));
    add(out, ipField(s, "remoteIpBlocks", "notRemoteIpBlocks", "remote.ip", o, AuthzRequest::effectiveRemoteIps));
    add(out, field(s, "requestPrincipals", "notRequestPrincipals", "request.auth.principal", true, o,
        (v, at) -> jwt("request.auth.principal")));
    return out;
  }

  private List<FieldTest> operation(Map<String, Object> op, Origin o) {
    unknownKeys(op, OPERATION_KEYS, "operation", o);
    List<FieldTest> out = new ArrayList<>();
    add(out, field(op, "hosts", "notHosts", "request.host", true, o,
        (v, at) -> string(AuthzRequest::host, v, true, "request.host")));
    add(out, field(op, "ports", "notPorts", "destination.port", false, o, this::port));
    add(out, field(op, "methods", "notMethods", "request.method", true, o,
        (v, at) -> string(AuthzRequest::method, v, false, "request.method")));
    add(out, field(op, "paths", "notPaths", "request.path", true, o, this::path));
    return out;
  }

  /** One {@code when} condition, its key decided by one switch (Istio's supported conditions). */
  private FieldTest condition(Object raw, Origin o) {
    Map<String, Object> c = Values.map(raw);
    if (c == null || !(c.get("key") instanceof String key)) {
      closed(o, AuthzDiagnostic.INVALID_VALUE, "a \"when\" condition needs a string key");
      return null;
    }
    unknownKeys(c, CONDITION_KEYS, "condition " + key, o);
    if (!c.containsKey("values") && !c.containsKey("notValues")) {
      closed(o, AuthzDiagnostic.INVALID_VALUE, "condition " + key + " has neither values nor notValues");
      return null;
    }
    ValueTest gen;
    boolean http = false;
    if (key.equals("source.ip")) {
      return ipField(c, "values", "notValues", key, o, AuthzRequest::sourceIps);
    } else if (key.equals("remote.ip")) {
      return ipField(c, "values", "notValues", key, o, AuthzRequest::effectiveRemoteIps);
    } else if (key.equals("destination.ip")) {
      return ipField(c, "values", "notValues", key, o, AuthzRequest::destinationIps);
    } else if (key.equals("source.namespace")) {
      gen = this::namespace;
    } else if (key.equals("source.principal")) {
      gen = this::principal;
    } else if (key.equals("source.serviceAccount")) {
      gen = this::serviceAccount;
    } else if (key.equals("source.trustDomain")) {
      gen = this::trustDomain;
    } else if (key.equals("destination.port")) {
      gen = this::port;
    } else if (key.equals("connection.sni")) {
      gen = (v, at) -> string(AuthzRequest::sni, v, false, key);
    } else if (bracketed(key, "request.headers") || bracketed(key, "request.experimental.inline.headers")) {
      String header = key.substring(key.indexOf('[') + 1, key.length() - 1).toLowerCase(Locale.ROOT);
      gen = (v, at) -> header(header, v, key);
      http = true;
    } else if (key.equals("request.auth.principal") || key.equals("request.auth.audiences")
        || key.equals("request.auth.presenter") || bracketed(key, "request.auth.claims")) {
      // JWT attributes: nothing offline knows the token a request will carry.
      gen = (v, at) -> jwt(key);
      http = true;
    } else if (key.startsWith("experimental.envoy.filters.") && key.contains("[") && key.endsWith("]")) {
      gen = (v, at) -> r -> Match.maybe(key);
    } else {
      closed(o, AuthzDiagnostic.UNKNOWN_KEY, "unknown condition key \"" + key + "\"");
      return null;
    }
    return field(c, "values", "notValues", key, http, o, gen);
  }

  private static boolean bracketed(String key, String prefix) {
    return key.startsWith(prefix + "[") && key.endsWith("]") && key.length() > prefix.length() + 2;
  }

  /** Compiles one value, or returns null when Istio could not translate it. */
  private interface ValueTest {
    Test compile(String value, Origin at);
  }

  private FieldTest field(Map<String, Object> m, String key, String notKey, String attribute, boolean http, Origin o,
      ValueTest gen) {
    List<String> values = strings(m, key, o);
    List<String> notValues = strings(m, notKey, o);
    if (values.isEmpty() && notValues.isEmpty()) {
      return null;
    }
    httpOnly |= http;
    return new FieldTest(attribute, http, tests(values, key, o, gen), tests(notValues, notKey, o, gen));
  }

  private List<Test> tests(List<String> values, String key, Origin o, ValueTest gen) {
    List<Test> out = new ArrayList<>();
    for (String v : values) {
      Test t = gen.compile(v, o);
      if (t != null) {
        out.add(t);
      } else {
        invalid(o, key, v);
      }
    }
    if (out.isEmpty() && !values.isEmpty() && deny) {
      // Every value dropped: Istio drops the field, so the DENY rule matches more.
      return List.of();
    }
    return out;
  }

  private FieldTest ipField(Map<String, Object> m, String key, String notKey, String attribute, Origin o,
      java.util.function.Function<AuthzRequest, List<IpRange>> addresses) {
    List<IpRange> in = blocks(strings(m, key, o), key, o);
    List<IpRange> out = blocks(strings(m, notKey, o), notKey, o);
    if (in == null && out == null) {
      return null;
    }
    List<Test> values = in == null ? List.of() : List.of(r -> Patterns.inBlocks(addresses.apply(r), in, attribute));
    List<Test> notValues = out == null ? List.of()
        : List.of(r -> Patterns.inBlocks(addresses.apply(r), out, attribute));
    return new FieldTest(attribute, false, values, notValues);
  }

  /** The blocks of a list, or null when it is absent or every value was dropped. */
  private List<IpRange> blocks(List<String> values, String key, Origin o) {
    List<IpRange> out = new ArrayList<>();
    boolean any = false;
    for (String v : values) {
      try {
        IpRange b = Patterns.block(v);
        any = true;
        if (b != null) {
          out.add(b);
        }
      } catch (IllegalArgumentException e) {
        invalid(o, key, v);
      }
    }
    return any ? out : null;
  }

  // One generator per attribute.

  private Test principal(String pattern, Origin o) {
    List<String> patterns = trustDomains.expandPrincipal(pattern);
    return r -> known(r.principal(), "source.principal",
        p -> patterns.stream().anyMatch(x -> Patterns.string(x, p, false)));
  }

  private Test namespace(String pattern, Origin o) {
    // Istio matches the namespace inside the peer's SPIFFE URI, a star standing for anything.
    // Everything but the stars is literal, whatever the YAML holds.
    String ns = String.join(".*", java.util.Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).toList());
    Pattern re = Pattern.compile(".*/ns/" + ns + "/.*");
    return r -> known(r.principal(), "source.principal", p -> re.matcher("spiffe://" + p).matches());
  }

  private Test serviceAccount(String value, Origin o) {
    if (value.contains("*") || value.isEmpty()) {
      return null;
    }
    int slash = value.indexOf('/');
    String ns = slash < 0 ? policyNamespace : value.substring(0, slash);
    String sa = slash < 0 ? value : value.substring(slash + 1);
    Pattern re = Pattern.compile("spiffe://.+/ns/" + Pattern.quote(ns) + "/(.+/|)sa/" + Pattern.quote(sa) + "(/.+)?");
    return r -> known(r.principal(), "source.principal", p -> re.matcher("spiffe://" + p).matches());
  }

  private Test trustDomain(String value, Origin o) {
    List<String> patterns = trustDomains.expandTrustDomain(value);
    return r -> known(r.principal(), "source.principal", p -> {
      int slash = p.indexOf('/');
      String td = slash < 0 ? p : p.substring(0, slash);
      return patterns.stream().anyMatch(x -> Patterns.string(x, td, false));
    });
  }

  private Test port(String value, Origin o) {
    int port;
    try {
      port = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
    if (port < 0 || port > 65535) {
      return null;
    }
    mentionedPorts.add(port);
    return r -> Match.of(r.port() == port);
  }

  private Test path(String value, Origin o) {
    if (Patterns.isPathTemplate(value)) {
      if (Patterns.pathTemplateProblem(value) != null) {
        return null;
      }
      Pattern re = Patterns.pathTemplate(value);
      return r -> path(r.path(), p -> re.matcher(p).matches());
    }
    return r -> path(r.path(), p -> Patterns.string(value, p, false));
  }

  /**
   * Observed paths are templates ({@code /users/{id}}): a path pattern is decided when it gives the
   * same answer for two very different ids, else it depends on the id.
   */
  private static Match path(Attr path, java.util.function.Predicate<String> test) {
    if (path.state() == Attr.State.KNOWN && path.value().contains("{id}")) {
      boolean a = test.test(path.value().replace("{id}", "0"));
      boolean b = test.test(path.value().replace("{id}", "3f2a9c1e-7b4d-4e8a-9c1f-0a1b2c3d4e5f"));
      return a == b ? Match.of(a) : Match.maybe("request.path");
    }
    return known(path, "request.path", test);
  }

  private static Test string(java.util.function.Function<AuthzRequest, Attr> attr, String pattern,
      boolean ignoreCase, String attribute) {
    return r -> known(attr.apply(r), attribute, v -> Patterns.string(pattern, v, ignoreCase));
  }

  private static Test header(String name, String pattern, String attribute) {
    return r -> {
      String v = r.headers().get(name);
      if (v != null) {
        // Envoy's presence match accepts an empty value too.
        return Match.of(pattern.equals("*") || Patterns.string(pattern, v, false));
      }
      return r.otherHeadersAbsent() ? Match.NO : Match.maybe(attribute);
    };
  }

  private static Test jwt(String attribute) {
    return r -> Match.maybe(attribute);
  }

  private static Match known(Attr a, String attribute, java.util.function.Predicate<String> test) {
    return switch (a.state()) {
      case KNOWN -> Match.of(test.test(a.value()));
      case ABSENT -> Match.NO;
      case UNKNOWN -> Match.maybe(attribute);
    };
  }

  // Plumbing.

  private void unknownKeys(Map<String, Object> m, Set<String> known, String where, Origin o) {
    for (String k : m.keySet()) {
      if (!known.contains(k)) {
        Origin at = m instanceof Located l && l.lineOf(k) > 0 ? new Origin(policyOrigin.file(), l.lineOf(k)) : o;
        closed(at, AuthzDiagnostic.UNKNOWN_KEY, "unknown key \"" + k + "\" in " + where);
      }
    }
  }

  private List<Object> list(Map<String, Object> m, String key, Origin o) {
    Object v = m.get(key);
    if (v == null) {
      return null;
    }
    List<Object> l = Values.list(v);
    if (l == null) {
      closed(o, AuthzDiagnostic.INVALID_VALUE, "\"" + key + "\" is not a list");
    }
    return l;
  }

  private List<String> strings(Map<String, Object> m, String key, Origin o) {
    List<Object> l = list(m, key, o);
    if (l == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object x : l) {
      if (x instanceof Map || x instanceof List || x == null) {
        closed(o, AuthzDiagnostic.INVALID_VALUE, "\"" + key + "\" holds a value that is not a string");
      } else {
        out.add(String.valueOf(x));
      }
    }
    return out;
  }

  private static void add(List<FieldTest> out, FieldTest t) {
    if (t != null) {
      out.add(t);
    }
  }

  /** A value Istio cannot translate: the ALLOW rule is dropped, the DENY rule only loses the value. */
  private void invalid(Origin o, String key, String value) {
    if (!deny && failClosed == null) {
      failClosed = "invalid " + key + " value \"" + value + "\"";
    }
    diagnostics.accept(new AuthzDiagnostic(AuthzDiagnostic.INVALID_VALUE, AuthzDiagnostic.Severity.WARNING, o,
        policy + ": invalid " + key + " value \"" + value + "\"; "
            + (deny ? "the value is ignored, so the DENY rule matches more" : "the ALLOW rule matches nothing")));
  }

  /** Something not understood: the rule fails closed (ALLOW matches nothing, DENY matches everything). */
  private void closed(Origin o, String code, String what) {
    if (failClosed == null) {
      failClosed = what;
    }
    diagnostics.accept(new AuthzDiagnostic(code, AuthzDiagnostic.Severity.WARNING, o, policy + ": " + what + "; "
        + (deny ? "the DENY rule is taken to match every request" : "the ALLOW rule is taken to match nothing")));
  }

  private Origin at(Object raw) {
    return at(raw, policyOrigin);
  }

  private Origin at(Object raw, Origin fallback) {
    return raw instanceof Located l && l.line() > 0 ? new Origin(policyOrigin.file(), l.line()) : fallback;
  }
}
