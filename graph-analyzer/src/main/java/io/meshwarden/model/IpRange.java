package io.meshwarden.model;

/**
 * A closed range of addresses of one family, IPv4 or IPv6. An address is an unsigned 128-bit
 * value held in two longs ({@code high}, {@code low}); IPv4 addresses use the low 32 bits with a
 * zero high half, so the IPv4 path compares the same two longs and allocates nothing more. Ranges
 * of different families never contain or overlap each other, as Kubernetes matches an IPv4
 * connection only against IPv4 CIDRs.
 */
public record IpRange(Family family, long firstHigh, long firstLow, long lastHigh, long lastLow)
    implements Comparable<IpRange> {

  /** The address family; IPv4 sorts before IPv6. */
  public enum Family {
    IPV4,
    IPV6
  }

  /** The highest IPv4 address as an unsigned 32-bit value. */
  public static final long MAX_IPV4 = 0xFFFF_FFFFL;
  /** Every IPv4 address, {@code 0.0.0.0/0}. */
  public static final IpRange ALL = new IpRange(Family.IPV4, 0, 0, 0, MAX_IPV4);
  /** Every IPv6 address, {@code ::/0}. */
  public static final IpRange ALL_IPV6 = new IpRange(Family.IPV6, 0, 0, -1L, -1L);

  public IpRange {
    java.util.Objects.requireNonNull(family, "family");
    if (family == Family.IPV4 && (firstHigh != 0 || lastHigh != 0 || firstLow < 0 || lastLow > MAX_IPV4)) {
      throw new IllegalArgumentException("bad IPv4 range " + firstLow + "-" + lastLow);
    }
    if (compare(firstHigh, firstLow, lastHigh, lastLow) > 0) {
      throw new IllegalArgumentException("bad range: first after last");
    }
  }

  /** An IPv4 range of unsigned 32-bit values. */
  public static IpRange ipv4(long first, long last) {
    return new IpRange(Family.IPV4, 0, first, 0, last);
  }

  /** Compares two unsigned 128-bit values. */
  public static int compare(long aHigh, long aLow, long bHigh, long bLow) {
    return aHigh != bHigh ? Long.compareUnsigned(aHigh, bHigh) : Long.compareUnsigned(aLow, bLow);
  }

  /** Whether the text looks like an IPv6 address or CIDR (it has a colon). */
  public static boolean isIpv6(String text) {
    return text.indexOf(':') >= 0;
  }

  public boolean isIpv6() {
    return family == Family.IPV6;
  }

  /** The whole address space of a family. */
  public static IpRange all(Family family) {
    return family == Family.IPV4 ? ALL : ALL_IPV6;
  }

  /** Whether this range is its family's whole address space. */
  public boolean isWholeFamily() {
    return equals(all(family));
  }

  /**
   * Parses {@code a.b.c.d/n} or an IPv6 {@code addr/n}; host bits below the mask are ignored, as
   * Kubernetes and Go's ParseCIDR do (validation at the manifest edge warns about them).
   *
   * @throws IllegalArgumentException naming what is wrong if the text is not a CIDR
   */
  public static IpRange parseCidr(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("no prefix length in " + cidr);
    }
    IpRange addr = parseAddress(cidr.substring(0, slash));
    int width = addr.isIpv6() ? 128 : 32;
    String bitsText = cidr.substring(slash + 1);
    if (bitsText.isEmpty() || bitsText.length() > 3 || !bitsText.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("bad prefix length in " + cidr);
    }
    int bits = Integer.parseInt(bitsText);
    if (bits > width) {
      throw new IllegalArgumentException("prefix length over " + width + " in " + cidr);
    }
    return addr.isIpv6() ? prefix6(addr.firstHigh, addr.firstLow, bits) : prefix4(addr.firstLow, bits);
  }

  /** The network of {@code bits} prefix length that holds the address ({@code high}, {@code low}) of the family. */
  public static IpRange prefix(Family family, long high, long low, int bits) {
    return family == Family.IPV4 ? prefix4(low, bits) : prefix6(high, low, bits);
  }

  private static IpRange prefix4(long addr, int bits) {
    long size = 1L << (32 - bits);
    long first = addr & ~(size - 1) & MAX_IPV4;
    return ipv4(first, first + size - 1);
  }

  private static IpRange prefix6(long high, long low, int bits) {
    long maskHigh = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
    long maskLow = bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
    return new IpRange(Family.IPV6, high & maskHigh, low & maskLow, high | ~maskHigh, low | ~maskLow);
  }

  /**
   * One address as a range of one: dotted-quad IPv4 (up to three digits per octet, as
   * Kubernetes' legacy fields accept) or IPv6 in any RFC 4291 text form, with an embedded IPv4
   * tail allowed. Zones ({@code %eth0}) are refused.
   *
   * @throws IllegalArgumentException if the text is no address
   */
  public static IpRange parseAddress(String text) {
    if (isIpv6(text)) {
      long[] v = Ipv6Text.parse(text);
      return new IpRange(Family.IPV6, v[0], v[1], v[0], v[1]);
    }
    long v = parseIpv4(text);
    return ipv4(v, v);
  }

  /** Parses a dotted-quad IPv4 address to its unsigned 32-bit value. */
  static long parseIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IP address: " + text);
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("not an IP address: " + text);
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        throw new IllegalArgumentException("not an IP address: " + text);
      }
      v = (v << 8) | octet;
    }
    return v;
  }

  /**
   * The canonical text of an address (RFC 5952 for IPv6; an IPv4-mapped IPv6 address, as dual-stack
   * sockets report IPv4 peers, becomes the IPv4 address), or the text itself when it is no address.
   */
  public static String canonicalAddress(String text) {
    if (text == null || !isIpv6(text)) {
      return text;
    }
    try {
      long[] v = Ipv6Text.parse(text);
      if (v[0] == 0 && (v[1] >>> 32) == 0xFFFFL) {
        return formatIpv4(v[1] & MAX_IPV4);
      }
      return Ipv6Text.format(v[0], v[1]);
    } catch (IllegalArgumentException notAnAddress) {
      return text;
    }
  }

  /** Whether the text is an IPv4-mapped IPv6 address or CIDR ({@code ::ffff:a.b.c.d}). */
  public static boolean isIpv4Mapped(String text) {
    int slash = text.indexOf('/');
    try {
      long[] v = Ipv6Text.parse(slash < 0 ? text : text.substring(0, slash));
      return v[0] == 0 && (v[1] >>> 32) == 0xFFFFL;
    } catch (IllegalArgumentException notIpv6) {
      return false;
    }
  }

  public static String formatIpv4(long addr) {
    return ((addr >> 24) & 0xFF) + "." + ((addr >> 16) & 0xFF) + "." + ((addr >> 8) & 0xFF) + "." + (addr & 0xFF);
  }

  private static String format(Family family, long high, long low) {
    return family == Family.IPV4 ? formatIpv4(low) : Ipv6Text.format(high, low);
  }

  /** The first address as text. */
  public String firstAddress() {
    return format(family, firstHigh, firstLow);
  }

  /** The last address as text. */
  public String lastAddress() {
    return format(family, lastHigh, lastLow);
  }

  /** Whether the range holds one address. */
  public boolean isSingleAddress() {
    return firstHigh == lastHigh && firstLow == lastLow;
  }

  /** The range as one CIDR when it is exactly one, else null; {@code /32} or {@code /128} for one address. */
  public String toCidr() {
    for (int bits = 0, width = family == Family.IPV4 ? 32 : 128; bits <= width; bits++) {
      IpRange p = family == Family.IPV4 ? prefix4(firstLow, bits) : prefix6(firstHigh, firstLow, bits);
      if (p.equals(this)) {
        return firstAddress() + "/" + bits;
      }
    }
    return null;
  }

  public boolean contains(IpRange other) {
    return family == other.family && compare(firstHigh, firstLow, other.firstHigh, other.firstLow) <= 0
        && compare(other.lastHigh, other.lastLow, lastHigh, lastLow) <= 0;
  }

  /** Whether the address ({@code high}, {@code low}) of this range's family lies in it. */
  public boolean contains(long high, long low) {
    return compare(firstHigh, firstLow, high, low) <= 0 && compare(high, low, lastHigh, lastLow) <= 0;
  }

  public boolean overlaps(IpRange other) {
    return family == other.family && compare(firstHigh, firstLow, other.lastHigh, other.lastLow) <= 0
        && compare(other.firstHigh, other.firstLow, lastHigh, lastLow) <= 0;
  }

  @Override
  public int compareTo(IpRange o) {
    if (family != o.family) {
      return family.compareTo(o.family);
    }
    int c = compare(firstHigh, firstLow, o.firstHigh, o.firstLow);
    return c != 0 ? c : compare(lastHigh, lastLow, o.lastHigh, o.lastLow);
  }

  /** np-guard's notation: {@code first-last}, both addresses written out. */
  @Override
  public String toString() {
    return firstAddress() + "-" + lastAddress();
  }

  /**
   * Address space that is never on the public internet: RFC 1918, CGNAT (100.64/10), loopback,
   * link-local; for IPv6 unique-local (fc00::/7), loopback, link-local (fe80::/10) and the
   * unspecified address. A peer there is a pod, node or service nobody described, not "the internet".
   */
  private static final IpRange[] PRIVATE_USE = {parseCidr("10.0.0.0/8"), parseCidr("172.16.0.0/12"),
      parseCidr("192.168.0.0/16"), parseCidr("100.64.0.0/10"), parseCidr("127.0.0.0/8"), parseCidr("169.254.0.0/16"),
      parseCidr("fc00::/7"), parseCidr("fe80::/10"), parseCidr("::1/128"), parseCidr("::/128")};

  /** {@link #isPrivateUse()} of one address given as text; false for text that is no address. */
  public static boolean isPrivateUse(String ip) {
    try {
      return parseAddress(ip).isPrivateUse();
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

  /** The address after ({@code high}, {@code low}) as {@code {high, low}}; callers check it is not the family's last. */
  public static long[] successor(long high, long low) {
    return low == -1L ? new long[] {high + 1, 0} : new long[] {high, low + 1};
  }

  /** The address before ({@code high}, {@code low}); callers check it is not zero. */
  public static long[] predecessor(long high, long low) {
    return low == 0 ? new long[] {high - 1, -1L} : new long[] {high, low - 1};
  }
}
