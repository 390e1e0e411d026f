package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Origin;
import java.util.function.Consumer;

/**
 * CIDR validation at the manifest edge, so that analysis only ever sees well-formed ranges. What
 * passes is what the API server accepts: NetworkPolicy ipBlocks (a legacy field: IPv4 octets with
 * leading zeros and IPv4-mapped IPv6 are accepted) and the network-policy-api {@code isCIDR} rule,
 * IPv4 or IPv6 either way. A CIDR with host bits set is accepted too, analysed as its network,
 * with the warning Kubernetes gives ("ambiguous"), since the writer may have meant the one address.
 */
final class Cidrs {
  /** The diagnostic code of a CIDR the API server would reject. */
  static final String INVALID = "invalid-cidr";

  private Cidrs() {}

  /**
   * Parses a CIDR field, warning about host bits.
   *
   * @param field where the value sits, for messages ({@code ingress rule #1 ipBlock.cidr})
   * @throws ManifestException with code {@link #INVALID} naming the value when it is no CIDR
   */
  static IpRange parse(String cidr, Origin origin, String field, Consumer<Diagnostic> warn) throws ManifestException {
    return parse(cidr, true, origin, field, warn);
  }

  /**
   * {@link #parse(String, Origin, String, Consumer)} for network-policy-api {@code networks}, whose
   * {@code isCIDR} rule refuses IPv4-mapped IPv6 ({@code ::ffff:10.0.0.0/104}).
   */
  static IpRange parseNetwork(String cidr, Origin origin, String field, Consumer<Diagnostic> warn)
      throws ManifestException {
    return parse(cidr, false, origin, field, warn);
  }

  private static IpRange parse(String cidr, boolean legacy, Origin origin, String field, Consumer<Diagnostic> warn)
      throws ManifestException {
    if (cidr == null || cidr.isEmpty()) {
      throw new ManifestException(origin, field + ": CIDR error: invalid CIDR address: \"\" (empty)", INVALID);
    }
    IpRange range;
    IpRange address;
    try {
      range = IpRange.parseCidr(cidr);
      address = IpRange.parseAddress(cidr.substring(0, cidr.indexOf('/')));
    } catch (IllegalArgumentException e) {
      throw new ManifestException(origin, field + ": CIDR error: invalid CIDR address: " + cidr + " ("
          + e.getMessage() + ")", INVALID);
    }
    if (IpRange.isIpv4Mapped(cidr)) {
      if (!legacy) {
        throw new ManifestException(origin, field + ": CIDR error: invalid CIDR address: " + cidr
            + " (IPv4-mapped IPv6 is not supported)", INVALID);
      }
      // Go (and so most implementations) matches a mapped ipBlock against IPv4 traffic.
      int bits = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
      if (bits < 96) {
        throw new ManifestException(origin, field + ": CIDR error: invalid CIDR address: " + cidr
            + " (an IPv4-mapped prefix shorter than /96)", INVALID);
      }
      IpRange v4 = IpRange.parseCidr(IpRange.formatIpv4(address.firstLow() & IpRange.MAX_IPV4) + "/" + (bits - 96));
      warn.accept(Diagnostic.warning("ipv4-mapped-cidr", origin, field + ": non-standard IPv4-mapped IPv6 CIDR \""
          + cidr + "\": analysed as " + v4.toCidr()));
      return v4;
    }
    if (address.firstHigh() != range.firstHigh() || address.firstLow() != range.firstLow()) {
      warn.accept(Diagnostic.warning("ambiguous-cidr", origin, field + ": CIDR value \"" + cidr
          + "\" is ambiguous (should be \"" + range.toCidr() + "\" or \"" + address.toCidr() + "\"?): analysed as "
          + range.toCidr()));
    }
    return range;
  }
}
