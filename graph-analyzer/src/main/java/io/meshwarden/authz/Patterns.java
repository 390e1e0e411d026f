package io.meshwarden.authz;

import io.meshwarden.model.IpRange;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Istio's value matching, one function per kind of value: strings (exact, {@code prefix*},
 * {@code *suffix}, {@code *} for any non-empty value), Envoy URI path templates ({@code {*}},
 * {@code {**}}), and IP blocks (an address or a CIDR).
 */
final class Patterns {
  private Patterns() {}

  /** Istio's string match; {@code *} checked first, then a leading, then a trailing star. */
  static boolean string(String pattern, String value, boolean ignoreCase) {
    if (value == null) {
      return false;
    }
    String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
    String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    if (p.equals("*")) {
      return !v.isEmpty();
    }
    if (p.startsWith("*")) {
      return v.endsWith(p.substring(1));
    }
    if (p.endsWith("*")) {
      return v.startsWith(p.substring(0, p.length() - 1));
    }
    return p.equals(v);
  }

  /** Whether a {@code paths} value is an Envoy URI template rather than an Istio string match. */
  static boolean isPathTemplate(String p) {
    return p.contains("{*}") || p.contains("{**}");
  }

  /**
   * Why a path template is invalid (Istio rejects it), or null when it is valid: every segment
   * holding {@code *}, <code>{</code> or <code>}</code> is exactly {@code {*}} or {@code {**}}, and
   * {@code {**}} is the last operator.
   */
  static String pathTemplateProblem(String p) {
    boolean sawGreedy = false;
    for (String segment : p.split("/", -1)) {
      boolean special = segment.contains("*") || segment.contains("{") || segment.contains("}");
      if (!special) {
        continue;
      }
      if (!segment.equals("{*}") && !segment.equals("{**}")) {
        return "segment \"" + segment + "\" mixes an operator with other characters";
      }
      if (sawGreedy) {
        return "{**} must be the last operator";
      }
      sawGreedy = segment.equals("{**}");
    }
    return null;
  }

  /** A valid path template as a regular expression over the whole path. */
  static Pattern pathTemplate(String p) {
    StringBuilder re = new StringBuilder();
    String[] segments = p.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        re.append('/');
      }
      String s = segments[i];
      if (s.equals("{*}")) {
        re.append("[^/]+");
      } else if (s.equals("{**}")) {
        re.append(".*");
      } else {
        re.append(Pattern.quote(s));
      }
    }
    return Pattern.compile(re.toString());
  }

  /** An address or CIDR (IPv4 or IPv6) as a range. */
  static IpRange block(String value) {
    return value.contains("/") ? IpRange.parseCidr(value) : IpRange.parseAddress(value);
  }

  /**
   * Whether addresses lie in blocks: YES when each candidate range lies in one block, NO when
   * none overlaps any, else MAYBE; no candidates means the address is unknown.
   */
  static Match inBlocks(List<IpRange> candidates, List<IpRange> blocks, String attribute) {
    if (candidates.isEmpty()) {
      return Match.maybe(attribute);
    }
    boolean allIn = true;
    boolean noneOverlaps = true;
    for (IpRange c : candidates) {
      boolean in = false;
      for (IpRange b : blocks) {
        in |= b.contains(c);
        noneOverlaps &= !b.overlaps(c);
      }
      allIn &= in;
    }
    return allIn ? Match.YES : noneOverlaps ? Match.NO : Match.maybe(attribute);
  }
}
