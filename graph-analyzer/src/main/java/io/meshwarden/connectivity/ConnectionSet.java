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

  /** Slot of {@link #names} for names whose protocol is unknown. */
  private static final int ANY = PROTOCOLS.length;
  private static final int SLOTS = PROTOCOLS.length + 1;

  private final int[][] ports;
  /**
   * Unresolved named ports per protocol, plus one slot for names without a protocol; null when
   * there are none (the usual case).
   */
  private final Set<String>[] names;
  /** Computed on first use (most sets are intermediate results never hashed); 0 until then. */
  private int hash;

  private ConnectionSet(int[][] ports, Set<String>[] names) {
    this.ports = ports;
    this.names = normalise(names);
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
  public static ConnectionSet named(Protocol protocol, String name) {
    return namedAt(protocol.ordinal(), name);
  }

  /**
   * A port name whose protocol is unknown: AdminNetworkPolicy {@code namedPort} carries none, the
   * container that defines the name decides it.
   */
  public static ConnectionSet namedAnyProtocol(String name) {
    return namedAt(ANY, name);
  }

  @SuppressWarnings("unchecked")
  private static ConnectionSet namedAt(int slot, String name) {
    Set<String>[] n = new Set[SLOTS];
    n[slot] = Set.of(name);
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
    if (names == null && o.names == null) {
      if (same(p, ports)) {
        return this;
      }
      if (same(p, o.ports)) {
        return o;
      }
    }
    return new ConnectionSet(p, unionNames(o));
  }

  /**
   * The connections in both sets. Port names are symbolic, so the other side cannot narrow them:
   * only this set's names are kept, the way np-guard intersects an egress result (which may hold
   * names of a destination it cannot see) with the ingress result.
   */
  public ConnectionSet intersect(ConnectionSet o) {
    if (o == this || (o.isAll() && o.names == null)) {
      return this;
    }
    if (isAll() && names == null) {
      return o.names == null ? o : new ConnectionSet(o.ports, null);
    }
    int[][] p = new int[PROTOCOLS.length][];
    for (int i = 0; i < p.length; i++) {
      p[i] = PortRanges.intersect(ports[i], o.ports[i]);
    }
    if (same(p, ports)) {
      return this;
    }
    if (names == null && o.names == null && same(p, o.ports)) {
      return o;
    }
    if (names == null && p[0].length == 0 && p[1].length == 0 && p[2].length == 0) {
      return NONE;
    }
    return new ConnectionSet(p, names);
  }

  public ConnectionSet subtract(ConnectionSet o) {
    if (o.isEmpty()) {
      return this;
    }
    if (o.isAll()) {
      return NONE;
    }
    int[][] p = new int[PROTOCOLS.length][];
    for (int i = 0; i < p.length; i++) {
      p[i] = PortRanges.subtract(ports[i], o.ports[i]);
    }
    Set<String>[] n = names;
    if (names != null && o.names != null) {
      n = Arrays.copyOf(names, names.length);
      for (int i = 0; i < n.length; i++) {
        if (n[i] != null && o.names[i] != null) {
          Set<String> s = new TreeSet<>(n[i]);
          s.removeAll(o.names[i]);
          n[i] = s.isEmpty() ? null : Collections.unmodifiableSet(s);
        }
      }
    }
    return new ConnectionSet(p, n);
  }

  /** Whether the ranges of every protocol are the very arrays of {@code q}. */
  private static boolean same(int[][] p, int[][] q) {
    return p[0] == q[0] && p[1] == q[1] && p[2] == q[2];
  }

  @SuppressWarnings("unchecked")
  private Set<String>[] unionNames(ConnectionSet o) {
    if (names == null && o.names == null) {
      return null;
    }
    Set<String>[] n = new Set[SLOTS];
    for (int i = 0; i < n.length; i++) {
      Set<String> a = names == null ? null : names[i];
      Set<String> b = o.names == null ? null : o.names[i];
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
    }
    return n;
  }

  /** Null when no slot holds a name, so that sets without names compare equal. */
  private static Set<String>[] normalise(Set<String>[] n) {
    if (n == null) {
      return null;
    }
    for (Set<String> s : n) {
      if (s != null && !s.isEmpty()) {
        return n;
      }
    }
    return null;
  }

  /** Whether the set holds names that still wait for a destination pod to resolve them. */
  public boolean hasNames() {
    return names != null;
  }

  /** Port names without a protocol (from AdminNetworkPolicy {@code namedPort}). */
  public Set<String> namesAnyProtocol() {
    return names == null || names[ANY] == null ? Set.of() : names[ANY];
  }

  /** The same numbered ports without any names. */
  public ConnectionSet withoutNames() {
    return names == null ? this : new ConnectionSet(ports, null);
  }

  public boolean isEmpty() {
    return names == null && ports[0].length == 0 && ports[1].length == 0 && ports[2].length == 0;
  }

  /**
   * Whether every port of every protocol is in the set. Protocol-less names do not count: whatever
   * they resolve to is already in.
   */
  public boolean isAll() {
    if (!allPorts(ports)) {
      return false;
    }
    if (names != null) {
      for (int i = 0; i < PROTOCOLS.length; i++) {
        if (names[i] != null) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean allPorts(int[][] ports) {
    return Arrays.equals(ports[0], FULL) && Arrays.equals(ports[1], FULL) && Arrays.equals(ports[2], FULL);
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
    // np-guard prints protocol-less names as " name"; sorted as strings, that item comes first.
    if (!namesAnyProtocol().isEmpty()) {
      sb.append(' ').append(String.join(",", namesAnyProtocol()));
    }
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
    if (!(o instanceof ConnectionSet c) || hashCode() != c.hashCode()) {
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
    int h = hash;
    if (h == 0) {
      for (int[] p : ports) {
        h = 31 * h + Arrays.hashCode(p);
      }
      h = 31 * h + (names == null ? 0 : Arrays.hashCode(names));
      // Racing threads compute the same value; an int is written whole.
      hash = h;
    }
    return h;
  }
}
