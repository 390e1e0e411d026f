package io.meshwarden.ingest.traffic;

/**
 * An address as proxies write it: {@code 10.0.0.1:80}, {@code [fd00::1]:80}, a bare IP, or a host
 * name with an optional port. Envoy also writes {@code envoy://...} internal addresses, which carry
 * no IP.
 */
record HostPort(String host, int port) {
  static final HostPort NONE = new HostPort(null, 0);

  static HostPort parse(String s) {
    s = Text.value(s);
    if (s == null || s.startsWith("envoy://")) {
      return NONE;
    }
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        return NONE;
      }
      return new HostPort(s.substring(1, close), port(s, close + 1));
    }
    int colon = s.lastIndexOf(':');
    if (colon < 0 || s.indexOf(':') != colon) {
      // No port, or an IPv6 literal without brackets.
      return new HostPort(s, 0);
    }
    return new HostPort(s.substring(0, colon), port(s, colon));
  }

  private static int port(String s, int colon) {
    if (colon >= s.length() || s.charAt(colon) != ':') {
      return 0;
    }
    return port(s, colon + 1, s.length());
  }

  /** The port written in {@code s[from, to)}, or 0 when that is not a port number. */
  static int port(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9' || v > 65535) {
        return 0;
      }
      v = v * 10 + (c - '0');
    }
    return v <= 65535 ? v : 0;
  }

  /** Whether {@code host} is an IPv4 or IPv6 literal rather than a name. */
  static boolean isIp(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    if (host.indexOf(':') >= 0) {
      return true;
    }
    int dots = 0;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '.') {
        dots++;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return dots == 3;
  }

  static boolean isLoopback(String ip) {
    return ip != null && (ip.startsWith("127.") || "::1".equals(ip));
  }
}
