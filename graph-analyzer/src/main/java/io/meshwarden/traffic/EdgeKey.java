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

  @Override
  public int compareTo(EdgeKey o) {
    return ORDER.compare(this, o);
  }
}
