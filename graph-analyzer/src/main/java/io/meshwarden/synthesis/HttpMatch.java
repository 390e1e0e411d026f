package io.meshwarden.synthesis;

import java.util.Objects;

/**
 * An allowed HTTP request shape: a method (null for any) and a path, exact or by prefix. gRPC
 * calls are {@code POST /package.Service/Method}.
 */
public record HttpMatch(String method, String path, boolean prefix) implements Comparable<HttpMatch> {
  public HttpMatch {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: " + path);
    }
  }

  @Override
  public int compareTo(HttpMatch o) {
    int c = path.compareTo(o.path);
    if (c != 0) {
      return c;
    }
    c = Boolean.compare(prefix, o.prefix);
    return c != 0 ? c : String.valueOf(method).compareTo(String.valueOf(o.method));
  }
}
