package io.meshwarden.connectivity;

import java.util.Objects;

/**
 * An allowed connection between two peers: what policy permits from {@code src} to {@code dst}
 * on one network.
 */
public record Connection(Peer src, Peer dst, ConnectionSet allowed, Network network) {
  public Connection {
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(dst, "dst");
    Objects.requireNonNull(allowed, "allowed");
    Objects.requireNonNull(network, "network");
  }

  /** A connection on the pod network. */
  public Connection(Peer src, Peer dst, ConnectionSet allowed) {
    this(src, dst, allowed, Network.POD);
  }
}
