package io.meshwarden.sidecar.rbac.eval;

import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Compiles RBAC principals and permissions into {@link Matcher}s; one switch per proto oneof. */
final class Matchers {
  private Matchers() {}

  static Matcher permission(Permission p, List<String> unsupported) {
    switch (p.getRuleCase()) {
      case AND_RULES:
        return and(p.getAndRules().getRulesList().stream().map(x -> permission(x, unsupported)).toList());
      case OR_RULES:
        return or(p.getOrRules().getRulesList().stream().map(x -> permission(x, unsupported)).toList());
      case ANY:
        return p.getAny() ? Matcher.ANY : Matcher.NEVER;
      case HEADER:
        return header(p.getHeader());
      case URL_PATH:
        return urlPath(StringMatch.of(p.getUrlPath().getPath()));
      case DESTINATION_IP:
        return cidr(p.getDestinationIp(), Side.DESTINATION);
      case DESTINATION_PORT: {
        int port = p.getDestinationPort();
        return r -> r.destinationPort == port;
      }
      case DESTINATION_PORT_RANGE: {
        // Envoy's Int32Range is [start, end).
        long start = p.getDestinationPortRange().getStart();
        long end = p.getDestinationPortRange().getEnd();
        return r -> r.destinationPort >= start && r.destinationPort < end;
      }
      case NOT_RULE: {
        Matcher inner = permission(p.getNotRule(), unsupported);
        return r -> !inner.matches(r);
      }
      case REQUESTED_SERVER_NAME: {
        StringMatch m = StringMatch.of(p.getRequestedServerName());
        return r -> m.matches(r.serverName == null ? "" : r.serverName);
      }
      default:
        unsupported.add("permission " + p.getRuleCase() + " (never matches here)");
        return Matcher.NEVER;
    }
  }

  static Matcher principal(Principal p, List<String> unsupported) {
    switch (p.getIdentifierCase()) {
      case AND_IDS:
        return and(p.getAndIds().getIdsList().stream().map(x -> principal(x, unsupported)).toList());
      case OR_IDS:
        return orIds(p.getOrIds().getIdsList(), unsupported);
      case ANY:
        return p.getAny() ? Matcher.ANY : Matcher.NEVER;
      case AUTHENTICATED:
        return authenticated(p.getAuthenticated());
      case SOURCE_IP:
      case DIRECT_REMOTE_IP:
        return cidr(p.getIdentifierCase() == Principal.IdentifierCase.SOURCE_IP ? p.getSourceIp() : p.getDirectRemoteIp(),
            Side.SOURCE);
      case REMOTE_IP:
        return cidr(p.getRemoteIp(), Side.REMOTE);
      case HEADER:
        return header(p.getHeader());
      case URL_PATH:
        return urlPath(StringMatch.of(p.getUrlPath().getPath()));
      case NOT_ID: {
        Matcher inner = principal(p.getNotId(), unsupported);
        return r -> !inner.matches(r);
      }
      default:
        unsupported.add("principal " + p.getIdentifierCase() + " (never matches here)");
        return Matcher.NEVER;
    }
  }

  /** Policies list many exact principals; one hash lookup beats scanning them. */
  private static Matcher orIds(List<Principal> ids, List<String> unsupported) {
    Set<String> exact = new HashSet<>();
    List<Principal> rest = new ArrayList<>();
    for (Principal id : ids) {
      String v = id.hasAuthenticated() && id.getAuthenticated().hasPrincipalName()
          ? StringMatch.of(id.getAuthenticated().getPrincipalName()).exactValue() : null;
      if (v != null) {
        exact.add(v);
      } else {
        rest.add(id);
      }
    }
    Matcher others = or(rest.stream().map(x -> principal(x, unsupported)).toList());
    return exact.isEmpty() ? others : anyOf(principalSet(exact), others);
  }

  /** Top-level principal / permission lists are ORed; same set optimisation for principals. */
  static Matcher principals(List<Principal> ids, List<String> unsupported) {
    return orIds(ids, unsupported);
  }

  static Matcher permissions(List<Permission> ps, List<String> unsupported) {
    return or(ps.stream().map(x -> permission(x, unsupported)).toList());
  }

  private static Matcher principalSet(Set<String> names) {
    Set<String> set = Set.copyOf(names);
    return r -> r.principal != null && set.contains(r.principal);
  }

  private static Matcher anyOf(Matcher a, Matcher b) {
    return b == Matcher.NEVER ? a : r -> a.matches(r) || b.matches(r);
  }

  static Matcher and(List<Matcher> ms) {
    // Envoy: an empty and_rules matches (all of nothing).
    if (ms.size() == 1) {
      return ms.get(0);
    }
    Matcher[] a = ms.toArray(Matcher[]::new);
    return r -> {
      for (Matcher m : a) {
        if (!m.matches(r)) {
          return false;
        }
      }
      return true;
    };
  }

  static Matcher or(List<Matcher> ms) {
    if (ms.isEmpty()) {
      return Matcher.NEVER;
    }
    if (ms.size() == 1) {
      return ms.get(0);
    }
    Matcher[] a = ms.toArray(Matcher[]::new);
    return r -> {
      for (Matcher m : a) {
        if (m.matches(r)) {
          return true;
        }
      }
      return false;
    };
  }

  /** Without principal_name any authenticated peer matches; otherwise the URI SAN must. */
  private static Matcher authenticated(Principal.Authenticated a) {
    if (!a.hasPrincipalName()) {
      return r -> r.principal != null;
    }
    StringMatch m = StringMatch.of(a.getPrincipalName());
    return r -> r.principal != null && m.matches(r.principal);
  }

  private static Matcher urlPath(StringMatch m) {
    return r -> m.matches(r.urlPath());
  }

  private enum Side { SOURCE, REMOTE, DESTINATION }

  private static Matcher cidr(CidrRange range, Side side) {
    Ip base = Ip.parse(range.getAddressPrefix());
    int len = range.hasPrefixLen() ? range.getPrefixLen().getValue() : 0;
    boolean v6 = base.v6();
    long maskHi;
    long maskLo;
    if (v6) {
      maskHi = len == 0 ? 0 : len >= 64 ? -1L : -1L << (64 - len);
      maskLo = len <= 64 ? 0 : len >= 128 ? -1L : -1L << (128 - len);
    } else {
      maskHi = 0;
      maskLo = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
    }
    long hi = base.hi() & maskHi;
    long lo = base.lo() & maskLo;
    return r -> {
      Ip ip = side == Side.SOURCE ? r.sourceIp : side == Side.REMOTE ? r.remoteIp : r.destinationIp;
      return ip != null && ip.v6() == v6 && (ip.hi() & maskHi) == hi && (ip.lo() & maskLo) == lo;
    };
  }

  /**
   * Envoy's header matching: an absent header matches only a present_match asking for absence
   * (or, inverted, for presence); otherwise the value is matched and the result inverted on request.
   */
  static Matcher header(HeaderMatcher h) {
    String name = h.getName().toLowerCase(java.util.Locale.ROOT);
    boolean invert = h.getInvertMatch();
    HeaderMatcher.HeaderMatchSpecifierCase kind = h.getHeaderMatchSpecifierCase();
    boolean presentType = kind == HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH
        || kind == HeaderMatcher.HeaderMatchSpecifierCase.HEADERMATCHSPECIFIER_NOT_SET;
    boolean present = kind == HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH ? h.getPresentMatch() : true;
    boolean missingAsEmpty = h.getTreatMissingHeaderAsEmpty();
    ValueTest test = valueTest(h, present);
    return r -> {
      String v = r.header(name);
      if (v == null) {
        if (!missingAsEmpty) {
          return presentType && (invert ? present : !present);
        }
        v = "";
      }
      return test.test(v) != invert;
    };
  }

  @FunctionalInterface
  private interface ValueTest {
    boolean test(String value);
  }

  private static ValueTest valueTest(HeaderMatcher h, boolean present) {
    switch (h.getHeaderMatchSpecifierCase()) {
      case EXACT_MATCH:
        return StringMatch.exact(h.getExactMatch())::matches;
      case SAFE_REGEX_MATCH:
        return StringMatch.regex(h.getSafeRegexMatch().getRegex())::matches;
      case PREFIX_MATCH:
        return StringMatch.prefix(h.getPrefixMatch())::matches;
      case SUFFIX_MATCH:
        return StringMatch.suffix(h.getSuffixMatch())::matches;
      case CONTAINS_MATCH:
        return StringMatch.contains(h.getContainsMatch())::matches;
      case STRING_MATCH:
        return StringMatch.of(h.getStringMatch())::matches;
      case RANGE_MATCH: {
        long start = h.getRangeMatch().getStart();
        long end = h.getRangeMatch().getEnd();
        return v -> {
          try {
            long n = Long.parseLong(v);
            return n >= start && n < end;
          } catch (NumberFormatException e) {
            return false;
          }
        };
      }
      default:
        // present_match (or nothing set): the header exists, so the answer is the flag itself.
        return v -> present;
    }
  }
}
