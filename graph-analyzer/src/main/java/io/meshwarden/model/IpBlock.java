package io.meshwarden.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@code ipBlock} peer: a CIDR minus exceptions, already validated.
 *
 * @param cidr and {@code except} as written, for messages and rendering
 * @param ranges the addresses the block matches, as disjoint ranges of the cidr's family (an
 *     IPv4-mapped cidr is read as the IPv4 network it maps)
 */
public record IpBlock(String cidr, List<String> except, List<IpRange> ranges) {
  public IpBlock {
    Objects.requireNonNull(cidr, "cidr");
    except = List.copyOf(except);
    ranges = List.copyOf(ranges);
  }

  /** A block from text that is known to be valid (generated or already checked). */
  public IpBlock(String cidr, List<String> except) {
    this(cidr, except, ranges(IpRange.parseCidr(cidr), except.stream().map(IpRange::parseCidr).toList()));
  }

  /** {@code cidr} minus {@code except}, as disjoint ranges; exceptions of another family remove nothing. */
  public static List<IpRange> ranges(IpRange cidr, List<IpRange> except) {
    List<IpRange> out = new ArrayList<>();
    out.add(cidr);
    for (IpRange e : except) {
      List<IpRange> next = new ArrayList<>();
      for (IpRange r : out) {
        if (!r.overlaps(e)) {
          next.add(r);
          continue;
        }
        if (IpRange.compare(r.firstHigh(), r.firstLow(), e.firstHigh(), e.firstLow()) < 0) {
          long[] before = IpRange.predecessor(e.firstHigh(), e.firstLow());
          next.add(new IpRange(r.family(), r.firstHigh(), r.firstLow(), before[0], before[1]));
        }
        if (IpRange.compare(e.lastHigh(), e.lastLow(), r.lastHigh(), r.lastLow()) < 0) {
          long[] after = IpRange.successor(e.lastHigh(), e.lastLow());
          next.add(new IpRange(r.family(), after[0], after[1], r.lastHigh(), r.lastLow()));
        }
      }
      out = next;
    }
    return out;
  }
}
