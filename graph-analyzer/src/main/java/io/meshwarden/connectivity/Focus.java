package io.meshwarden.connectivity;

import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Narrows a connectivity list to the workloads (and peers, direction, or one port) a user asked
 * about. A workload matches an entry by {@code name} or {@code namespace/name}.
 *
 * @param direction {@code ingress}, {@code egress}, or null for both
 * @param connection a single {@code protocol-port} to keep, or null
 */
public record Focus(List<String> workloads, List<String> peers, String direction, FocusConnection connection) {
  public static final Focus NONE = new Focus(List.of(), List.of(), null, null);

  public Focus {
    workloads = List.copyOf(workloads);
    peers = List.copyOf(peers);
    if (direction != null && !direction.equals("ingress") && !direction.equals("egress")) {
      throw new IllegalArgumentException("invalid focus direction value: " + direction
          + "; must be one of ingress,egress");
    }
  }

  /** One connection, such as {@code udp-52}. */
  public record FocusConnection(Protocol protocol, int port) {
    public FocusConnection {
      Objects.requireNonNull(protocol, "protocol");
    }

    /** Parses {@code <protocol>-<port>}. */
    public static FocusConnection parse(String text) {
      String[] parts = text.split("-", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException("invalid focus connection value: " + text
            + "; must be <protocol-port> format");
      }
      Protocol p;
      try {
        p = Protocol.valueOf(parts[0].toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid focus connection value: " + text + "; unknown protocol: " + parts[0]);
      }
      int port;
      try {
        port = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("invalid focus connection value: " + text + "; invalid port number: "
            + parts[1]);
      }
      return new FocusConnection(p, port);
    }

    @Override
    public String toString() {
      return protocol + " " + port;
    }
  }

  public boolean isEmpty() {
    return workloads.isEmpty() && connection == null;
  }

  /** Entries of {@code names} that match no workload (the user mistyped, or it is not there). */
  public static List<String> missing(List<String> names, List<Workload> all) {
    return names.stream().filter(n -> all.stream().noneMatch(w -> matches(w, n))).toList();
  }

  /** Whether the workload is one of the focus workloads (every workload when none are given). */
  public boolean selects(Workload w) {
    return workloads.isEmpty() || workloads.stream().anyMatch(e -> matches(w, e));
  }

  static boolean matches(Workload w, String entry) {
    return w.name().equals(entry) || (w.namespace() + "/" + w.name()).equals(entry);
  }

  private static boolean matchesAny(Peer p, List<String> entries) {
    if (p instanceof Peer.WorkloadPeer w) {
      return entries.stream().anyMatch(e -> matches(w.workload(), e));
    }
    return p instanceof Peer.IngressControllerPeer && entries.contains("ingress-controller");
  }

  /** Whether the connection passes the workload, peer and direction filters. */
  public boolean keeps(Connection c) {
    return keeps(c.src(), c.dst(), c.allowed());
  }

  /** Whether {@code src} to {@code dst} with {@code allowed} passes the workload, peer and direction filters. */
  public boolean keeps(Peer src, Peer dst, ConnectionSet allowed) {
    if (connection != null && !allowed.contains(connection.protocol(), connection.port())) {
      return false;
    }
    if (workloads.isEmpty()) {
      return true;
    }
    boolean srcIn = matchesAny(src, workloads);
    boolean dstIn = matchesAny(dst, workloads);
    if ("ingress".equals(direction) && !dstIn) {
      return false;
    }
    if ("egress".equals(direction) && !srcIn) {
      return false;
    }
    if (peers.isEmpty()) {
      return srcIn || dstIn;
    }
    return (srcIn && matchesAny(dst, peers)) || (dstIn && matchesAny(src, peers));
  }
}
