package io.meshwarden.connectivity;

import java.util.List;
import java.util.Locale;

/**
 * ClusterNetworkPolicy {@code domainNames} against a destination known by name, as the API's
 * {@code DomainName} type documents it: an exact name matches only itself; {@code *.} as a prefix
 * matches one or more whole labels ({@code *.kubernetes.io} matches {@code www.kubernetes.io} and
 * {@code latest.blog.kubernetes.io}, not {@code kubernetes.io}); no partial labels.
 *
 * <p>What the API leaves unsaid, decided here as DNS itself does: names compare without regard
 * to case (RFC 4343), and a trailing dot (the pattern allows one) is the same name without it.
 */
final class DomainNames {
  private DomainNames() {}

  /** Whether {@code pattern} (a domainNames entry) matches {@code name} (a destination's DNS name). */
  static boolean matches(String pattern, String name) {
    String p = normal(pattern);
    String n = normal(name);
    if (p.startsWith("*.")) {
      String suffix = p.substring(1);
      return n.length() > suffix.length() && n.endsWith(suffix);
    }
    return p.equals(n);
  }

  /** The first of {@code patterns} that matches {@code name}, or null. */
  static String firstMatch(List<String> patterns, String name) {
    for (String p : patterns) {
      if (matches(p, name)) {
        return p;
      }
    }
    return null;
  }

  private static String normal(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
