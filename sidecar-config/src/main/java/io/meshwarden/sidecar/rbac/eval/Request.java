package io.meshwarden.sidecar.rbac.eval;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What an RBAC filter sees of one request or connection. Addresses are parsed once here so that
 * deciding is cheap; build with {@link #builder()}. Immutable.
 */
public final class Request {
  final String principal;
  final Ip sourceIp;
  final Ip remoteIp;
  final Ip destinationIp;
  final int destinationPort;
  final String method;
  final String path;
  final String serverName;
  final String authority;
  final Map<String, String> headers;

  private Request(Builder b) {
    this.principal = b.principal;
    this.sourceIp = b.sourceIp;
    this.remoteIp = b.remoteIp != null ? b.remoteIp : b.sourceIp;
    this.destinationIp = b.destinationIp;
    this.destinationPort = b.destinationPort;
    this.method = b.method;
    this.path = b.path;
    this.serverName = b.serverName;
    this.authority = b.authority != null ? b.authority : b.headers.get(":authority");
    this.headers = b.headers.isEmpty() ? Map.of() : Map.copyOf(b.headers);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The authenticated peer (URI SAN), or null for a plain-text connection. */
  public String principal() {
    return principal;
  }

  public int destinationPort() {
    return destinationPort;
  }

  /** A header by lower-case name, pseudo-headers {@code :method} and {@code :path} included; null if absent. */
  String header(String name) {
    if (name.length() > 0 && name.charAt(0) == ':') {
      if (name.equals(":method")) {
        return method;
      }
      if (name.equals(":path")) {
        return path;
      }
      if (name.equals(":authority")) {
        return authority;
      }
    }
    return headers.get(name);
  }

  /** The path without query or fragment, as Envoy's url_path matcher sees it. */
  String urlPath() {
    if (path == null) {
      return null;
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        return path.substring(0, i);
      }
    }
    return path;
  }

  @Override
  public String toString() {
    return (principal != null ? principal : String.valueOf(sourceIp)) + " -> :" + destinationPort
        + (method != null ? " " + method : "") + (path != null ? " " + path : "");
  }

  /** Builds a {@link Request}; only the destination port is required. Not thread-safe. */
  public static final class Builder {
    private String principal;
    private Ip sourceIp;
    private Ip remoteIp;
    private Ip destinationIp;
    private int destinationPort;
    private String method;
    private String path;
    private String serverName;
    private String authority;
    private final Map<String, String> headers = new HashMap<>();

    private Builder() {}

    /** The peer certificate's URI SAN, e.g. {@code spiffe://cluster.local/ns/a/sa/b}. */
    public Builder principal(String spiffeId) {
      this.principal = spiffeId;
      return this;
    }

    /** The downstream connection's address ({@code direct_remote_ip}, {@code source_ip}). */
    public Builder sourceIp(String ip) {
      this.sourceIp = ip == null ? null : Ip.parse(ip);
      return this;
    }

    /** The original client ({@code remote_ip}, from X-Forwarded-For); defaults to the source. */
    public Builder remoteIp(String ip) {
      this.remoteIp = ip == null ? null : Ip.parse(ip);
      return this;
    }

    public Builder destinationIp(String ip) {
      this.destinationIp = ip == null ? null : Ip.parse(ip);
      return this;
    }

    public Builder destinationPort(int port) {
      this.destinationPort = port;
      return this;
    }

    /** HTTP only; a TCP connection has no method, path or headers. */
    public Builder method(String method) {
      this.method = method;
      return this;
    }

    /** The {@code :path}, query included. */
    public Builder path(String path) {
      this.path = path;
      return this;
    }

    /** The {@code :authority} (HTTP/1 {@code Host}); the same as {@code header(":authority", ...)}, without a map. */
    public Builder authority(String authority) {
      this.authority = authority;
      return this;
    }

    public Builder serverName(String sni) {
      this.serverName = sni;
      return this;
    }

    public Builder header(String name, String value) {
      headers.put(name.toLowerCase(Locale.ROOT), value);
      return this;
    }

    public Request build() {
      return new Request(this);
    }
  }
}
