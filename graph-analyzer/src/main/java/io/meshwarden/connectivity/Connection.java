package io.meshwarden.connectivity;

import java.util.Objects;

/** An allowed connection between two peers: what policy permits from {@code src} to {@code dst}. */
public record Connection(Peer src, Peer dst, ConnectionSet allowed) {
  public Connection {
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(dst, "dst");
    Objects.requireNonNull(allowed, "allowed");
  }
}
