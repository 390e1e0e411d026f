package io.meshwarden.authz;

import io.meshwarden.model.Workload;
import java.util.Map;
import java.util.Objects;

/**
 * One request as Istio's authorization sees it at the destination's sidecar.
 *
 * @param principal the mTLS source principal, {@code cluster.local/ns/x/sa/y}, or null (plaintext)
 * @param sourceNamespace the source's namespace when known from its principal, or null
 * @param sourceIp the source address, or null
 * @param method HTTP method, or null for a TCP connection (then HTTP-only fields never match)
 * @param path HTTP path without query, or null
 */
public record AuthzRequest(String principal, String sourceNamespace, String sourceIp, Workload destination, int port,
    String method, String path, String host, Map<String, String> headers) {
  public AuthzRequest {
    Objects.requireNonNull(destination, "destination");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }
}
