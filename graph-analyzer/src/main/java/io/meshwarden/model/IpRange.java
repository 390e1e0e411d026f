package io.meshwarden.model;

/**
 * A closed range of IPv4 addresses, held as unsigned 32-bit values in longs.
 */
public record IpRange(long first, long last) implements Comparable<IpRange> {
  public static final long MAX = 0xFFFF_FFFFL;
  public static final IpRange ALL = new IpRange(0, MAX);

  public IpRange {
    if (first < 0 || last > MAX || first > last) {
      throw new IllegalArgumentException("bad range " + first + "-" + last);
    }
  }

  /** Whether the text is an IPv6 CIDR (which this version of the engine does not analyse). */
  public static boolean isIpv6(String cidr) {
    return cidr.indexOf(':') >= 0;
  }

  /**
   * Parses {@code a.b.c.d/n}; host bits below the mask are ignored, as Kubernetes and Go's
   * ParseCIDR do.
   *
   * @throws IllegalArgumentException if the text is not an IPv4 CIDR
   */
  public static IpRange parseCidr(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("no prefix length in " + cidr);
    }
    long addr = parseAddress(cidr.substring(0, slash));
    String bitsText = cidr.substring(slash + 1);
    if (bitsText.isEmpty() || bitsText.length() > 2 || !bitsText.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("bad prefix length in " + cidr);
    }
    int bits = Integer.parseInt(bitsText);
    if (bits > 32) {
      throw new IllegalArgumentException("prefix length over 32 in " + cidr);
    }
    long size = 1L << (32 - bits);
    long first = addr & ~(size - 1) & MAX;
    return new IpRange(first, first + size - 1);
  }

  /** Parses a dotted-quad IPv4 address. */
  public static long parseAddress(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + text);
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      v = (v << 8) | octet;
    }
    return v;
  }

  public static String format(long addr) {
    return ((addr >> 24) & 0xFF) + "." + ((addr >> 16) & 0xFF) + "." + ((addr >> 8) & 0xFF) + "." + (addr & 0xFF);
  }

  public boolean contains(IpRange other) {
    return first <= other.first && other.last <= last;
  }

  public boolean overlaps(IpRange other) {
    return first <= other.last && other.first <= last;
  }

  @Override
  public int compareTo(IpRange o) {
    return first != o.first ? Long.compare(first, o.first) : Long.compare(last, o.last);
  }

  @Override
  public String toString() {
    return format(first) + "-" + format(last);
  }

  /**
   * Address space that is never on the public internet: RFC 1918, CGNAT (100.64/10), loopback,
   * link-local. A peer there is a pod, node or service nobody described, not "the internet".
   */
  private static final IpRange[] PRIVATE_USE = {parseCidr("10.0.0.0/8"), parseCidr("172.16.0.0/12"),
      parseCidr("192.168.0.0/16"), parseCidr("100.64.0.0/10"), parseCidr("127.0.0.0/8"), parseCidr("169.254.0.0/16")};

  public static boolean isPrivateUse(long addr) {
    for (IpRange r : PRIVATE_USE) {
      if (r.first <= addr && addr <= r.last) {
        return true;
      }
    }
    return false;
  }

  /** {@link #isPrivateUse(long)} for text; IPv6 unique-local ({@code fc00::/7}) counts too. */
  public static boolean isPrivateUse(String ip) {
    if (isIpv6(ip)) {
      String lower = ip.toLowerCase(java.util.Locale.ROOT);
      return lower.startsWith("fc") || lower.startsWith("fd");
    }
    try {
      return isPrivateUse(parseAddress(ip));
    } catch (IllegalArgumentException notAnAddress) {
      return false;
    }
  }

  /** Whether the whole range lies in private-use space (so no public address is in it). */
  public boolean isPrivateUse() {
    for (IpRange r : PRIVATE_USE) {
      if (r.contains(this)) {
        return true;
      }
    }
    return false;
  }
}
