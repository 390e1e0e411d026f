package io.meshwarden.sidecar.rbac.eval;

import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.Locale;
import java.util.regex.Pattern;

/** Envoy's StringMatcher: exact, prefix, suffix, contains or (full-match) safe_regex, optionally ignoring case. */
final class StringMatch {
  private enum Kind { EXACT, PREFIX, SUFFIX, CONTAINS, REGEX }

  private final Kind kind;
  private final String value;
  private final boolean ignoreCase;
  private final Pattern regex;

  private StringMatch(Kind kind, String value, boolean ignoreCase, Pattern regex) {
    this.kind = kind;
    this.value = ignoreCase && value != null ? value.toLowerCase(Locale.ROOT) : value;
    this.ignoreCase = ignoreCase;
    this.regex = regex;
  }

  static StringMatch exact(String value) {
    return new StringMatch(Kind.EXACT, value, false, null);
  }

  static StringMatch prefix(String value) {
    return new StringMatch(Kind.PREFIX, value, false, null);
  }

  static StringMatch suffix(String value) {
    return new StringMatch(Kind.SUFFIX, value, false, null);
  }

  static StringMatch contains(String value) {
    return new StringMatch(Kind.CONTAINS, value, false, null);
  }

  /** RE2 syntax is close to java.util.regex for what policies use; full match, as Envoy does. */
  static StringMatch regex(String pattern) {
    return new StringMatch(Kind.REGEX, null, false, Pattern.compile(pattern));
  }

  static StringMatch of(StringMatcher m) {
    boolean ic = m.getIgnoreCase();
    switch (m.getMatchPatternCase()) {
      case EXACT:
        return new StringMatch(Kind.EXACT, m.getExact(), ic, null);
      case PREFIX:
        return new StringMatch(Kind.PREFIX, m.getPrefix(), ic, null);
      case SUFFIX:
        return new StringMatch(Kind.SUFFIX, m.getSuffix(), ic, null);
      case CONTAINS:
        return new StringMatch(Kind.CONTAINS, m.getContains(), ic, null);
      case SAFE_REGEX:
        return regex(m.getSafeRegex().getRegex());
      default:
        throw new IllegalArgumentException("unsupported string matcher " + m.getMatchPatternCase());
    }
  }

  /** An exact, case-sensitive match's value, for set lookups; null otherwise. */
  String exactValue() {
    return kind == Kind.EXACT && !ignoreCase ? value : null;
  }

  boolean matches(String s) {
    if (s == null) {
      return false;
    }
    if (kind == Kind.REGEX) {
      return regex.matcher(s).matches();
    }
    String v = ignoreCase ? s.toLowerCase(Locale.ROOT) : s;
    switch (kind) {
      case EXACT:
        return v.equals(value);
      case PREFIX:
        return v.startsWith(value);
      case SUFFIX:
        return v.endsWith(value);
      default:
        return v.contains(value);
    }
  }
}
