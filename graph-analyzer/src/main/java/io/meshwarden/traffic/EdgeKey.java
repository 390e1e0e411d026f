package io.meshwarden.traffic;

import io.meshwarden.model.Protocol;
import java.util.Comparator;
import java.util.Objects;

/**
 * What observed flows are aggregated by: source, destination, L4 protocol and port, and for HTTP
 * the method and path template ({@code /users/{id}}); {@code method} and {@code pathTemplate} are
 * null for L4-only flows.
 */
public record EdgeKey(PeerRef source, PeerRef destination, Protocol protocol, int port, String method,
    String pathTemplate) implements Comparable<EdgeKey> {

  private static final Comparator<EdgeKey> ORDER = Comparator.comparing(EdgeKey::source)
      .thenComparing(EdgeKey::destination).thenComparing(EdgeKey::protocol).thenComparingInt(EdgeKey::port)
      .thenComparing(EdgeKey::method, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(EdgeKey::pathTemplate, Comparator.nullsFirst(Comparator.naturalOrder()));

  public EdgeKey {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(protocol, "protocol");
  }

  /**
   * The record's equality, checking references first: the aggregator looks an edge up once per
   * flow, its peers and method are usually the very instances of the stored key, and comparing
   * those by content only reads memory the lookup need not touch.
   */
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof EdgeKey k && port == k.port && protocol == k.protocol
        && same(source, k.source) && same(destination, k.destination) && same(method, k.method)
        && same(pathTemplate, k.pathTemplate);
  }

  @Override
  public int hashCode() {
    int h = source.hashCode();
    h = 31 * h + destination.hashCode();
    h = 31 * h + protocol.hashCode();
    h = 31 * h + port;
    h = 31 * h + Objects.hashCode(method);
    return 31 * h + Objects.hashCode(pathTemplate);
  }

  private static boolean same(Object a, Object b) {
    return a == b || a != null && a.equals(b);
  }

  @Override
  public int compareTo(EdgeKey o) {
    return ORDER.compare(this, o);
  }
}
