package io.meshwarden.connectivity;

import io.meshwarden.model.Protocol;
import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable set of L4 connections: for each protocol, a set of port ranges (1-65535), plus
 * port names that could not be resolved to numbers (kept so exposure reports can show them).
 */
public final class ConnectionSet {
  public static final int MIN_PORT = 1;
  public static final int MAX_PORT = 65535;
  private static final Protocol[] PROTOCOLS = Protocol.values();
  private static final int[] FULL = {MIN_PORT, MAX_PORT};

  public static final ConnectionSet NONE = new ConnectionSet(
      new int[][] {PortRanges.EMPTY, PortRanges.EMPTY, PortRanges.EMPTY}, null);
  public static final ConnectionSet ALL = new ConnectionSet(new int[][] {FULL, FULL, FULL}, null);

  private final int[][] ports;
  /** Unresolved named ports per protocol; null when there are none (the usual case). */
  private final Set<String>[] names;
  private final int hash;

  private ConnectionSet(int[][] ports, Set<String>[] names) {
    this.ports = ports;
    this.names = names;
    int h = 0;
    for (int[] p : ports) {
      h = 31 * h + Arrays.hashCode(p);
    }
    this.hash = 31 * h + (names == null ? 0 : Arrays.hashCode(names));
  }

  /** Every port of one protocol. */
  public static ConnectionSet allOf(Protocol protocol) {
    return range(protocol, MIN_PORT, MAX_PORT);
  }

  /** Ports {@code lo..hi} of one protocol (empty if {@code lo > hi}). */
  public static ConnectionSet range(Protocol protocol, int lo, int hi) {
    int[][] p = {PortRanges.EMPTY, PortRanges.EMPTY, PortRanges.EMPTY};
    p[protocol.ordinal()] = PortRanges.of(Math.max(lo, MIN_PORT), Math.min(hi, MAX_PORT));
    return new ConnectionSet(p, null);
  }

  public static ConnectionSet port(Protocol protocol, int port) {
    return range(protocol, port, port);
  }

  /** A port name that could not be resolved to a number. */
  @SuppressWarnings("unchecked")
  public static ConnectionSet named(Protocol protocol, String name) {
    Set<String>[] n = new Set[PROTOCOLS.length];
    n[protocol.ordinal()] = Set.of(name);
    return new ConnectionSet(new int[][] {PortRanges.EMPTY, PortRanges.EMPTY, PortRanges.EMPTY}, n);
  }

  public ConnectionSet union(ConnectionSet o) {
    if (o == this || o.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return o;
    }
    int[][] p = new int[PROTOCOLS.length][];
    for (int i = 0; i < p.length; i++) {
      p[i] = PortRanges.union(ports[i], o.ports[i]);
    }
    return new ConnectionSet(p, combineNames(o, true));
  }

  public ConnectionSet intersect(ConnectionSet o) {
    if (o == this || o.isAll()) {
      return this;
    }
    if (isAll()) {
      return o;
    }
    int[][] p = new int[PROTOCOLS.length][];
    for (int i = 0; i < p.length; i++) {
      p[i] = PortRanges.intersect(ports[i], o.ports[i]);
    }
    return new ConnectionSet(p, combineNames(o, false));
  }

  public ConnectionSet subtract(ConnectionSet o) {
    if (o.isEmpty()) {
      return this;
    }
    int[][] p = new int[PROTOCOLS.length][];
    for (int i = 0; i < p.length; i++) {
      p[i] = PortRanges.subtract(ports[i], o.ports[i]);
    }
    Set<String>[] n = names;
    if (names != null && o.names != null) {
      n = copyNames(names);
      for (int i = 0; i < n.length; i++) {
        if (n[i] != null && o.names[i] != null) {
          Set<String> s = new TreeSet<>(n[i]);
          s.removeAll(o.names[i]);
          n[i] = s.isEmpty() ? null : Collections.unmodifiableSet(s);
        }
      }
      n = normalise(n);
    }
    return new ConnectionSet(p, n);
  }

  @SuppressWarnings("unchecked")
  private Set<String>[] combineNames(ConnectionSet o, boolean union) {
    if (names == null && o.names == null) {
      return null;
    }
    Set<String>[] n = new Set[PROTOCOLS.length];
    for (int i = 0; i < n.length; i++) {
      Set<String> a = names == null ? null : names[i];
      Set<String> b = o.names == null ? null : o.names[i];
      if (union) {
        if (a == null && b == null) {
          continue;
        }
        Set<String> s = new TreeSet<>();
        if (a != null) {
          s.addAll(a);
        }
        if (b != null) {
          s.addAll(b);
        }
        n[i] = Collections.unmodifiableSet(s);
      } else {
        // A name survives an intersection with a set that holds it, or all ports of its protocol.
        final int k = i;
        Set<String> s = new TreeSet<>();
        if (a != null) {
          a.stream().filter(x -> (b != null && b.contains(x)) || Arrays.equals(o.ports[k], FULL)).forEach(s::add);
        }
        if (b != null) {
          b.stream().filter(x -> (a != null && a.contains(x)) || Arrays.equals(ports[k], FULL)).forEach(s::add);
        }
        n[i] = s.isEmpty() ? null : Collections.unmodifiableSet(s);
      }
    }
    return normalise(n);
  }

  @SuppressWarnings("unchecked")
  private static Set<String>[] copyNames(Set<String>[] n) {
    return Arrays.copyOf(n, n.length);
  }

  private static Set<String>[] normalise(Set<String>[] n) {
    for (Set<String> s : n) {
      if (s != null) {
        return n;
      }
    }
    return null;
  }

  public boolean isEmpty() {
    return names == null && ports[0].length == 0 && ports[1].length == 0 && ports[2].length == 0;
  }

  public boolean isAll() {
    return names == null && Arrays.equals(ports[0], FULL) && Arrays.equals(ports[1], FULL)
        && Arrays.equals(ports[2], FULL);
  }

  /** Whether the set holds the given numbered port. */
  public boolean contains(Protocol protocol, int port) {
    return PortRanges.contains(ports[protocol.ordinal()], port);
  }

  /** Whether the set holds every connection of {@code o}. */
  public boolean containsAll(ConnectionSet o) {
    return o.subtract(this).isEmpty();
  }

  /** The port ranges of a protocol as {@code [lo0, hi0, lo1, hi1, ...]} (a copy). */
  public int[] ranges(Protocol protocol) {
    return ports[protocol.ordinal()].clone();
  }

  /** Unresolved port names of a protocol (empty when all were resolved). */
  public Set<String> names(Protocol protocol) {
    return names == null || names[protocol.ordinal()] == null ? Set.of() : names[protocol.ordinal()];
  }

  /**
   * np-guard's rendering: {@code All Connections}, {@code No Connections}, or protocol groups
   * sorted by protocol such as {@code SCTP 9003,TCP 1-79,81-65535,UDP 53}.
   */
  @Override
  public String toString() {
    if (isAll()) {
      return "All Connections";
    }
    if (isEmpty()) {
      return "No Connections";
    }
    StringBuilder sb = new StringBuilder();
    for (Protocol p : PROTOCOLS) {
      int[] r = ports[p.ordinal()];
      Set<String> n = names(p);
      if (r.length == 0 && n.isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(p.name()).append(' ').append(PortRanges.format(r));
      if (!n.isEmpty()) {
        if (r.length > 0) {
          sb.append(',');
        }
        sb.append(String.join(",", n));
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ConnectionSet c) || hash != c.hash) {
      return false;
    }
    for (int i = 0; i < ports.length; i++) {
      if (!Arrays.equals(ports[i], c.ports[i])) {
        return false;
      }
    }
    return Arrays.equals(names, c.names);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
