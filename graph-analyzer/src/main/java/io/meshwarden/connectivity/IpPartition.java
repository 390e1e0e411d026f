package io.meshwarden.connectivity;

import io.meshwarden.model.IpRange;
import io.meshwarden.model.IpRange.Family;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the address space into the coarsest disjoint ranges such that every given range is a
 * union of pieces: then each piece is either wholly inside or wholly outside every ipBlock, and one
 * evaluation per piece is exact. Also how two policy sets are compared on common ground. IPv4 is
 * always covered (np-guard's output starts from it); IPv6 only when some given range is IPv6, that
 * is when the cluster uses IPv6 at all.
 */
public final class IpPartition {
  private IpPartition() {}

  /** The partition of IPv4 (and of IPv6 when any range is IPv6) that every given range is a union of pieces of. */
  public static List<IpRange> of(List<IpRange> ranges) {
    List<IpRange> out = new ArrayList<>(of(ranges, Family.IPV4));
    if (ranges.stream().anyMatch(IpRange::isIpv6)) {
      out.addAll(of(ranges, Family.IPV6));
    }
    return out;
  }

  private static List<IpRange> of(List<IpRange> ranges, Family family) {
    if (family == Family.IPV4) {
      return ofIpv4(ranges);
    }
    IpRange all = IpRange.all(family);
    // Cut points: where a range starts, and just after where one ends (unless it ends the space).
    List<long[]> cuts = new ArrayList<>();
    cuts.add(new long[] {0, 0});
    for (IpRange r : ranges) {
      if (r.family() != family) {
        continue;
      }
      cuts.add(new long[] {r.firstHigh(), r.firstLow()});
      if (r.lastHigh() != all.lastHigh() || r.lastLow() != all.lastLow()) {
        cuts.add(IpRange.successor(r.lastHigh(), r.lastLow()));
      }
    }
    cuts.sort((a, b) -> IpRange.compare(a[0], a[1], b[0], b[1]));
    List<IpRange> out = new ArrayList<>(cuts.size());
    long[] start = cuts.get(0);
    for (int i = 1; i <= cuts.size(); i++) {
      if (i < cuts.size() && IpRange.compare(cuts.get(i)[0], cuts.get(i)[1], start[0], start[1]) == 0) {
        continue;
      }
      long[] end = i < cuts.size() ? IpRange.predecessor(cuts.get(i)[0], cuts.get(i)[1])
          : new long[] {all.lastHigh(), all.lastLow()};
      out.add(new IpRange(family, start[0], start[1], end[0], end[1]));
      if (i < cuts.size()) {
        start = cuts.get(i);
      }
    }
    return out;
  }

  /** IPv4 cut points fit one long each (up to 2^32), so they sort as primitives: the common path stays cheap. */
  private static List<IpRange> ofIpv4(List<IpRange> ranges) {
    long[] cuts = new long[2 * ranges.size() + 2];
    int n = 0;
    cuts[n++] = 0;
    cuts[n++] = IpRange.MAX_IPV4 + 1;
    for (IpRange r : ranges) {
      if (r.family() == Family.IPV4) {
        cuts[n++] = r.firstLow();
        cuts[n++] = r.lastLow() + 1;
      }
    }
    java.util.Arrays.sort(cuts, 0, n);
    List<IpRange> out = new ArrayList<>(n);
    for (int i = 1; i < n; i++) {
      if (cuts[i] != cuts[i - 1]) {
        out.add(IpRange.ipv4(cuts[i - 1], cuts[i] - 1));
      }
    }
    return out;
  }

  /** The ranges of {@code cidr} minus {@code except}, as disjoint intervals. */
  static List<IpRange> minus(IpRange cidr, List<IpRange> except) {
    return io.meshwarden.model.IpBlock.ranges(cidr, except);
  }
}
