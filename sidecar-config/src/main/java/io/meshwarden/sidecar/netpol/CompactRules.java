package io.meshwarden.sidecar.netpol;

import io.meshwarden.model.IpRange;
import io.meshwarden.model.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the (peer, port) pairs of one direction and writes them as the fewest NetworkPolicy
 * rules that admit exactly the same pairs: one rule per set of peers, whatever HTTP paths the intent
 * split a port into (NetworkPolicy cannot see them); consecutive ports as one {@code endPort} range;
 * ipBlocks merged into the smallest list of CIDRs, so a {@code /32} under a {@code 0.0.0.0/0} of the
 * same rule disappears and adjacent ranges join. A rule admits the union of its peers on the union
 * of its ports, so grouping ports by identical peer sets never widens what is allowed.
 */
final class CompactRules {
  private record PortKey(Protocol protocol, int port) {}

  private static final Comparator<PortKey> ORDER = Comparator.comparing(PortKey::protocol)
      .thenComparingInt(PortKey::port);

  /** Peers per port, ports in the order the intent lists them. */
  private final Map<PortKey, Set<Map<String, Object>>> selectors = new LinkedHashMap<>();
  private final Map<PortKey, List<IpRange>> ranges = new LinkedHashMap<>();

  /** Admits {@code peer} (a NetworkPolicy peer as written) on {@code protocol}/{@code port}. */
  void add(Protocol protocol, int port, Map<String, Object> peer) {
    PortKey key = new PortKey(protocol, port);
    Object block = peer.get("ipBlock");
    if (block instanceof Map<?, ?> b && b.get("except") == null && b.get("cidr") instanceof String cidr) {
      ranges.computeIfAbsent(key, k -> new ArrayList<>()).add(IpRange.parseCidr(cidr));
    } else {
      selectors.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(peer);
    }
    selectors.computeIfAbsent(key, k -> new LinkedHashSet<>());
  }

  /**
   * The rules, {@code key} being {@code from} or {@code to}: in the order of their first port,
   * ports ascending within a rule, peers in the order added.
   */
  List<Map<String, Object>> rules(String key) {
    Map<List<Map<String, Object>>, List<PortKey>> byPeers = new LinkedHashMap<>();
    for (PortKey port : selectors.keySet()) {
      List<Map<String, Object>> peers = new ArrayList<>(selectors.get(port));
      for (String cidr : cidrs(ranges.getOrDefault(port, List.of()))) {
        peers.add(Map.of("ipBlock", Map.of("cidr", cidr)));
      }
      byPeers.computeIfAbsent(peers, p -> new ArrayList<>()).add(port);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    byPeers.forEach((peers, ports) -> {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put(key, peers);
      rule.put("ports", portRanges(ports.stream().sorted(ORDER).toList()));
      out.add(rule);
    });
    return out;
  }

  /** Consecutive ports of one protocol as one entry with {@code endPort}. */
  static List<Map<String, Object>> portRanges(List<PortKey> ports) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < ports.size(); ) {
      PortKey first = ports.get(i);
      int end = first.port();
      int j = i + 1;
      while (j < ports.size() && ports.get(j).protocol() == first.protocol() && ports.get(j).port() == end + 1) {
        end++;
        j++;
      }
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("port", first.port());
      if (end > first.port()) {
        p.put("endPort", end);
      }
      p.put("protocol", first.protocol().name());
      out.add(p);
      i = j;
    }
    return out;
  }

  /** The union of {@code ranges} as the fewest CIDRs, in address order (IPv4 first, then IPv6). */
  static List<String> cidrs(List<IpRange> ranges) {
    List<IpRange> sorted = ranges.stream().sorted().toList();
    List<String> out = new ArrayList<>();
    IpRange run = null;
    for (IpRange r : sorted) {
      if (run != null && run.family() == r.family() && adjoinsOrOverlaps(run, r)) {
        if (IpRange.compare(r.lastHigh(), r.lastLow(), run.lastHigh(), run.lastLow()) > 0) {
          run = new IpRange(run.family(), run.firstHigh(), run.firstLow(), r.lastHigh(), r.lastLow());
        }
        continue;
      }
      if (run != null) {
        split(run, out);
      }
      run = r;
    }
    if (run != null) {
      split(run, out);
    }
    return out;
  }

  /** Whether {@code next}, which starts no earlier than {@code run}, starts within it or right after it. */
  private static boolean adjoinsOrOverlaps(IpRange run, IpRange next) {
    if (run.lastHigh() == IpRange.all(run.family()).lastHigh() && run.lastLow() == IpRange.all(run.family()).lastLow()) {
      return true;
    }
    long[] after = IpRange.successor(run.lastHigh(), run.lastLow());
    return IpRange.compare(next.firstHigh(), next.firstLow(), after[0], after[1]) <= 0;
  }

  /** An address interval as the aligned CIDR blocks that tile it, largest first from the left. */
  private static void split(IpRange range, List<String> out) {
    int width = range.isIpv6() ? 128 : 32;
    long[] at = {range.firstHigh(), range.firstLow()};
    while (true) {
      IpRange block = null;
      for (int bits = 0; bits <= width; bits++) {
        IpRange candidate = IpRange.prefix(range.family(), at[0], at[1], bits);
        if (candidate.firstHigh() == at[0] && candidate.firstLow() == at[1] && range.contains(candidate)) {
          block = candidate;
          out.add(candidate.firstAddress() + "/" + bits);
          break;
        }
      }
      if (block == null || (block.lastHigh() == range.lastHigh() && block.lastLow() == range.lastLow())) {
        return;
      }
      at = IpRange.successor(block.lastHigh(), block.lastLow());
    }
  }
}
