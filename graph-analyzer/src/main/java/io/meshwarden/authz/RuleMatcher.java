package io.meshwarden.authz;

import java.util.List;
import java.util.Map;

/**
 * One AuthorizationPolicy rule against one request: {@code from} (any source), {@code to} (any
 * operation) and {@code when} (all conditions) must all match; absent parts match everything.
 */
final class RuleMatcher {
  private RuleMatcher() {}

  /** @param deny whether the rule belongs to a DENY policy (unknowable fields then match, failing closed) */
  static boolean matches(Object rule, AuthzRequest req, boolean deny) {
    Map<String, Object> r = Values.map(rule);
    if (r == null) {
      return false;
    }
    List<Object> from = Values.list(r.get("from"));
    if (from != null && from.stream().noneMatch(f -> source(Values.map(Values.map(f) == null ? null
        : Values.map(f).get("source")), req, deny))) {
      return false;
    }
    List<Object> to = Values.list(r.get("to"));
    if (to != null && to.stream().noneMatch(t -> operation(Values.map(Values.map(t) == null ? null
        : Values.map(t).get("operation")), req, deny))) {
      return false;
    }
    List<Object> when = Values.list(r.get("when"));
    if (when != null) {
      for (Object c : when) {
        if (!condition(Values.map(c), req, deny)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean source(Map<String, Object> s, AuthzRequest req, boolean deny) {
    if (s == null) {
      return true;
    }
    return field(s, "principals", req.principal(), RuleMatcher::glob)
        && notField(s, "notPrincipals", req.principal(), RuleMatcher::glob)
        && field(s, "namespaces", req.sourceNamespace(), RuleMatcher::glob)
        && notField(s, "notNamespaces", req.sourceNamespace(), RuleMatcher::glob)
        && field(s, "ipBlocks", req.sourceIp(), (block, ip) -> AuthorizationPolicyEvaluator.inBlock(ip, block))
        && notField(s, "notIpBlocks", req.sourceIp(), (block, ip) -> AuthorizationPolicyEvaluator.inBlock(ip, block))
        && field(s, "remoteIpBlocks", req.sourceIp(), (block, ip) -> AuthorizationPolicyEvaluator.inBlock(ip, block))
        && notField(s, "notRemoteIpBlocks", req.sourceIp(), (block, ip) -> AuthorizationPolicyEvaluator.inBlock(ip, block))
        // Request principals come from JWTs, which flow records do not carry.
        && unknowable(s, "requestPrincipals", deny) && unknowable(s, "notRequestPrincipals", deny);
  }

  private static boolean operation(Map<String, Object> o, AuthzRequest req, boolean deny) {
    if (o == null) {
      return true;
    }
    String port = String.valueOf(req.port());
    return field(o, "ports", port, String::equals) && notField(o, "notPorts", port, String::equals)
        && field(o, "methods", req.method(), String::equals) && notField(o, "notMethods", req.method(), String::equals)
        && field(o, "paths", req.path(), RuleMatcher::glob) && notField(o, "notPaths", req.path(), RuleMatcher::glob)
        && field(o, "hosts", req.host(), RuleMatcher::globIgnoreCase)
        && notField(o, "notHosts", req.host(), RuleMatcher::globIgnoreCase);
  }

  private static boolean condition(Map<String, Object> c, AuthzRequest req, boolean deny) {
    if (c == null) {
      return false;
    }
    String key = String.valueOf(c.get("key"));
    String actual;
    if (key.equals("source.principal")) {
      actual = req.principal();
    } else if (key.equals("source.namespace")) {
      actual = req.sourceNamespace();
    } else if (key.equals("source.ip") || key.equals("remote.ip")) {
      actual = req.sourceIp();
    } else if (key.equals("destination.port")) {
      actual = String.valueOf(req.port());
    } else if (key.equals("request.host")) {
      actual = req.host();
    } else if (key.startsWith("request.headers[") && key.endsWith("]")) {
      actual = req.headers().get(key.substring("request.headers[".length(), key.length() - 1).toLowerCase(java.util.Locale.ROOT));
    } else {
      return deny;
    }
    List<String> values = Values.strings(c, "values");
    List<String> notValues = Values.strings(c, "notValues");
    boolean ipKey = key.equals("source.ip") || key.equals("remote.ip");
    if (values != null && (actual == null || values.stream().noneMatch(v -> ipKey
        ? AuthorizationPolicyEvaluator.inBlock(actual, v) : glob(v, actual)))) {
      return false;
    }
    return notValues == null || actual == null || notValues.stream().noneMatch(v -> ipKey
        ? AuthorizationPolicyEvaluator.inBlock(actual, v) : glob(v, actual));
  }

  private static boolean unknowable(Map<String, Object> s, String key, boolean deny) {
    return !s.containsKey(key) || deny;
  }

  private interface Matcher {
    boolean test(String pattern, String value);
  }

  /** A listed field: absent matches all; present needs a value that one pattern matches. */
  private static boolean field(Map<String, Object> m, String key, String value, Matcher how) {
    List<String> patterns = Values.strings(m, key);
    if (patterns == null) {
      return true;
    }
    return value != null && patterns.stream().anyMatch(p -> how.test(p, value));
  }

  private static boolean notField(Map<String, Object> m, String key, String value, Matcher how) {
    List<String> patterns = Values.strings(m, key);
    return patterns == null || value == null || patterns.stream().noneMatch(p -> how.test(p, value));
  }

  /** Istio string matching: exact, {@code *} alone, {@code prefix*} or {@code *suffix}. */
  static boolean glob(String pattern, String value) {
    if (value == null) {
      return false;
    }
    if (pattern.equals("*")) {
      return true;
    }
    if (pattern.endsWith("*")) {
      return value.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    if (pattern.startsWith("*")) {
      return value.endsWith(pattern.substring(1));
    }
    return pattern.equals(value);
  }

  private static boolean globIgnoreCase(String pattern, String value) {
    return value != null && glob(pattern.toLowerCase(java.util.Locale.ROOT), value.toLowerCase(java.util.Locale.ROOT));
  }
}
