package io.meshwarden.authz;

import io.meshwarden.model.IpRange;
import io.meshwarden.model.Workload;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One connection or request as Istio's authorization sees it at the destination's sidecar. Every
 * attribute is either known (a value, or known to be absent) or unknown; unknown attributes make
 * a decision {@link Verdict#DEPENDS} wherever a rule looks at them. Build with {@link #to}.
 *
 * @param protocol whether the sidecar sees HTTP requests or a plain TCP connection on the port;
 *     {@link AppProtocol#UNKNOWN} evaluates both
 * @param principal the mTLS peer identity {@code <trust-domain>/ns/<ns>/sa/<sa>}; absent for
 *     plaintext
 * @param sourceIps the addresses the source may have (a workload's pod IPs, an external range);
 *     empty when unknown
 * @param remoteIps the original client addresses ({@code X-Forwarded-For}, proxy protocol); empty
 *     means the same as {@code sourceIps}
 * @param destinationIps the destination's pod addresses; empty when unknown
 * @param headers known request headers, names in lower case
 * @param otherHeadersAbsent whether headers not in {@code headers} are known to be absent (else
 *     they are unknown)
 */
public record AuthzRequest(Workload destination, int port, AppProtocol protocol, Attr principal,
    List<IpRange> sourceIps, List<IpRange> remoteIps, List<IpRange> destinationIps, Attr method, Attr path,
    Attr host, Attr sni, Map<String, String> headers, boolean otherHeadersAbsent) {

  /** What the sidecar's inbound listener parses on the port. */
  public enum AppProtocol { HTTP, TCP, UNKNOWN }

  /** A string attribute: a value, known to be absent, or unknown. */
  public record Attr(State state, String value) {
    public enum State { KNOWN, ABSENT, UNKNOWN }

    public static final Attr UNKNOWN = new Attr(State.UNKNOWN, null);
    public static final Attr ABSENT = new Attr(State.ABSENT, null);

    public Attr {
      Objects.requireNonNull(state, "state");
      if ((state == State.KNOWN) != (value != null)) {
        throw new IllegalArgumentException("a known attribute has a value, others none");
      }
    }

    /** The value, or unknown for null. */
    public static Attr ofNullable(String value) {
      return value == null ? UNKNOWN : new Attr(State.KNOWN, value);
    }

    public static Attr of(String value) {
      return new Attr(State.KNOWN, Objects.requireNonNull(value, "value"));
    }

    @Override
    public String toString() {
      return state == State.KNOWN ? value : state.name().toLowerCase(Locale.ROOT);
    }
  }

  public AuthzRequest {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(principal, "principal");
    sourceIps = List.copyOf(sourceIps);
    remoteIps = List.copyOf(remoteIps);
    destinationIps = List.copyOf(destinationIps);
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(sni, "sni");
    TreeMap<String, String> h = new TreeMap<>();
    headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
    headers = java.util.Collections.unmodifiableSortedMap(h);
  }

  /** A request to {@code destination:port} about which nothing else is known yet. */
  public static Builder to(Workload destination, int port) {
    return new Builder(destination, port);
  }

  /** A copy that differs in its application protocol. */
  AuthzRequest withProtocol(AppProtocol p) {
    return new AuthzRequest(destination, port, p, principal, sourceIps, remoteIps, destinationIps, method, path, host,
        sni, headers, otherHeadersAbsent);
  }

  /** The addresses {@code remote.ip} and {@code remoteIpBlocks} test. */
  List<IpRange> effectiveRemoteIps() {
    return remoteIps.isEmpty() ? sourceIps : remoteIps;
  }

  /** Collects a request's attributes; unset ones stay unknown (the principal: unknown too). */
  public static final class Builder {
    private final Workload destination;
    private final int port;
    private AppProtocol protocol = AppProtocol.UNKNOWN;
    private Attr principal = Attr.UNKNOWN;
    private List<IpRange> sourceIps = List.of();
    private List<IpRange> remoteIps = List.of();
    private List<IpRange> destinationIps = List.of();
    private Attr method = Attr.UNKNOWN;
    private Attr path = Attr.UNKNOWN;
    private Attr host = Attr.UNKNOWN;
    private Attr sni = Attr.UNKNOWN;
    private Map<String, String> headers = Map.of();
    private boolean otherHeadersAbsent;

    private Builder(Workload destination, int port) {
      this.destination = destination;
      this.port = port;
    }

    public Builder protocol(AppProtocol p) {
      this.protocol = p;
      return this;
    }

    /** A plain TCP connection: no HTTP attribute exists. */
    public Builder tcp() {
      return protocol(AppProtocol.TCP);
    }

    /** An HTTP request with the given method and path (null: unknown). */
    public Builder http(String method, String path) {
      this.protocol = AppProtocol.HTTP;
      this.method = Attr.ofNullable(method);
      this.path = Attr.ofNullable(path);
      return this;
    }

    /** The mTLS principal without {@code spiffe://}; null for a plaintext connection. */
    public Builder principal(String principal) {
      this.principal = principal == null ? Attr.ABSENT : Attr.of(principal);
      return this;
    }

    public Builder principal(Attr principal) {
      this.principal = principal;
      return this;
    }

    public Builder sourceIps(List<IpRange> ips) {
      this.sourceIps = ips;
      return this;
    }

    public Builder remoteIps(List<IpRange> ips) {
      this.remoteIps = ips;
      return this;
    }

    public Builder destinationIps(List<IpRange> ips) {
      this.destinationIps = ips;
      return this;
    }

    public Builder method(String method) {
      this.method = Attr.ofNullable(method);
      return this;
    }

    public Builder path(String path) {
      this.path = Attr.ofNullable(path);
      return this;
    }

    public Builder host(String host) {
      this.host = Attr.ofNullable(host);
      return this;
    }

    public Builder sni(Attr sni) {
      this.sni = sni;
      return this;
    }

    /** Known headers; with {@code complete}, every other header is known to be absent. */
    public Builder headers(Map<String, String> headers, boolean complete) {
      this.headers = headers;
      this.otherHeadersAbsent = complete;
      return this;
    }

    public AuthzRequest build() {
      return new AuthzRequest(destination, port, protocol, principal, sourceIps, remoteIps, destinationIps, method,
          path, host, sni, headers, otherHeadersAbsent);
    }
  }
}
