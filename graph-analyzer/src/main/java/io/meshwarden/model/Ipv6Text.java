package io.meshwarden.model;

/** IPv6 address text to 128 bits and back (RFC 4291 input forms, RFC 5952 output). */
final class Ipv6Text {
  private Ipv6Text() {}

  /**
   * Parses an IPv6 address: eight groups of one to four hex digits, {@code ::} once for a run of
   * zero groups, optionally an IPv4 tail for the last 32 bits.
   *
   * @return {high, low}
   * @throws IllegalArgumentException if the text is no IPv6 address (zones included)
   */
  static long[] parse(String text) {
    if (text.isEmpty() || text.indexOf('%') >= 0) {
      throw new IllegalArgumentException("not an IPv6 address: " + text);
    }
    int[] groups = new int[8];
    int elided = text.indexOf("::");
    if (elided >= 0 && text.indexOf("::", elided + 1) >= 0) {
      throw new IllegalArgumentException("not an IPv6 address (two '::'): " + text);
    }
    String head = elided >= 0 ? text.substring(0, elided) : text;
    String tail = elided >= 0 ? text.substring(elided + 2) : "";
    int[] front = groups(head, text, elided < 0);
    int[] back = elided >= 0 ? groups(tail, text, true) : new int[0];
    int count = front.length + back.length;
    if (elided < 0 ? count != 8 : count > 7) {
      throw new IllegalArgumentException("not an IPv6 address (wrong number of groups): " + text);
    }
    System.arraycopy(front, 0, groups, 0, front.length);
    System.arraycopy(back, 0, groups, 8 - back.length, back.length);
    long high = 0;
    long low = 0;
    for (int i = 0; i < 4; i++) {
      high = (high << 16) | groups[i];
      low = (low << 16) | groups[i + 4];
    }
    return new long[] {high, low};
  }

  /** The 16-bit groups of one side of {@code ::}; an IPv4 tail counts as two groups where allowed. */
  private static int[] groups(String part, String text, boolean mayEndInIpv4) {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] pieces = part.split(":", -1);
    boolean ipv4Tail = mayEndInIpv4 && pieces[pieces.length - 1].indexOf('.') >= 0;
    int[] out = new int[pieces.length + (ipv4Tail ? 1 : 0)];
    for (int i = 0; i < pieces.length; i++) {
      String p = pieces[i];
      if (ipv4Tail && i == pieces.length - 1) {
        long v;
        try {
          v = IpRange.parseIpv4(p);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("not an IPv6 address: " + text);
        }
        out[i] = (int) (v >>> 16);
        out[i + 1] = (int) (v & 0xFFFF);
        continue;
      }
      if (p.isEmpty() || p.length() > 4) {
        throw new IllegalArgumentException("not an IPv6 address: " + text);
      }
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        int d = Character.digit(p.charAt(k), 16);
        if (d < 0) {
          throw new IllegalArgumentException("not an IPv6 address: " + text);
        }
        v = (v << 4) | d;
      }
      out[i] = v;
    }
    return out;
  }

  /** RFC 5952: lower case, no leading zeros, the longest run (two or more) of zero groups as {@code ::}. */
  static String format(long high, long low) {
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) ((high >>> (48 - 16 * i)) & 0xFFFF);
      g[i + 4] = (int) ((low >>> (48 - 16 * i)) & 0xFFFF);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
