package io.meshwarden.traffic;

import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import java.time.Instant;
import java.util.Objects;

/**
 * One observed connection or request, normalised from any source (Envoy access log, Hubble).
 * Direction is always client → server: {@code port} is the server's port.
 *
 * @param httpMethod null unless the source saw L7 HTTP
 * @param httpPath the request path without query string, or null
 * @param responseCode HTTP status, or 0
 * @param bytes bytes in both directions, 0 when unknown
 * @param origin file and line the record came from
 * @param observer what kind of source recorded it, which decides what it is evidence of
 */
public record ObservedFlow(
    Instant time,
    Endpoint source,
    Endpoint destination,
    Protocol protocol,
    int port,
    String httpMethod,
    String httpPath,
    String authority,
    int responseCode,
    long bytes,
    Verdict verdict,
    Origin origin,
    FlowSource observer) {

  public ObservedFlow {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(observer, "observer");
  }

  /** A flow from a source that does not say what it watched: evidence of traffic that restricts nothing. */
  public ObservedFlow(Instant time, Endpoint source, Endpoint destination, Protocol protocol, int port,
      String httpMethod, String httpPath, String authority, int responseCode, long bytes, Verdict verdict,
      Origin origin) {
    this(time, source, destination, protocol, port, httpMethod, httpPath, authority, responseCode, bytes, verdict,
        origin, FlowSource.UNKNOWN);
  }

  /** What the data plane did with the flow. */
  public enum Verdict {
    FORWARDED,
    DROPPED,
    DENIED,
    UNKNOWN
  }
}
