package io.meshwarden.connectivity;

import io.meshwarden.model.IpRange;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Splits the IPv4 space into the coarsest disjoint ranges such that every given range is a union
 * of pieces: then each piece is either wholly inside or wholly outside every ipBlock, and one
 * evaluation per piece is exact. Also how two policy sets are compared on common ground.
 */
public final class IpPartition {
  private IpPartition() {}

  /** The partition of IPv4 that every given range is a union of pieces of. */
  public static List<IpRange> of(List<IpRange> ranges) {
    TreeSet<Long> cuts = new TreeSet<>();
    cuts.add(0L);
    cuts.add(IpRange.MAX + 1);
    for (IpRange r : ranges) {
      cuts.add(r.first());
      cuts.add(r.last() + 1);
    }
    List<IpRange> out = new ArrayList<>(cuts.size());
    Long prev = null;
    for (Long c : cuts) {
      if (prev != null) {
        out.add(new IpRange(prev, c - 1));
      }
      prev = c;
    }
    return out;
  }

  /** The ranges of {@code cidr} minus {@code except}, as disjoint intervals. */
  static List<IpRange> minus(IpRange cidr, List<IpRange> except) {
    List<IpRange> out = new ArrayList<>();
    out.add(cidr);
    for (IpRange e : except) {
      List<IpRange> next = new ArrayList<>();
      for (IpRange r : out) {
        if (!r.overlaps(e)) {
          next.add(r);
          continue;
        }
        if (r.first() < e.first()) {
          next.add(new IpRange(r.first(), e.first() - 1));
        }
        if (e.last() < r.last()) {
          next.add(new IpRange(e.last() + 1, r.last()));
        }
      }
      out = next;
    }
    return out;
  }
}
