package io.meshwarden.decision;

import io.meshwarden.authz.AuthzRequest.AppProtocol;
import java.util.Map;

/**
 * What the caller knows about a request beyond its two peers; null means unknown (the decision
 * then covers every value and says what it depends on).
 *
 * @param protocol HTTP or TCP at the destination's sidecar; null derives it from the Service port
 *     name ({@code http-*}, {@code grpc-*}, {@code tcp-*}, ...) or, with any HTTP attribute set, HTTP
 * @param headers known headers; with {@code headersComplete} every other header is known absent
 * @param sourceIp the source address, overriding what the source peer implies
 * @param sourcePrincipal the mTLS principal ({@code td/ns/x/sa/y}, without {@code spiffe://}),
 *     overriding what the source peer implies; empty for a plaintext connection
 */
public record RequestAttributes(AppProtocol protocol, String method, String path, String host,
    Map<String, String> headers, boolean headersComplete, String sourceIp, String sourcePrincipal, String sni) {
  /** Nothing known beyond the peers and the port: the question the graph asks. */
  public static final RequestAttributes NONE = new RequestAttributes(null, null, null, null, Map.of(), false, null,
      null, null);

  public RequestAttributes {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** An HTTP request with a method and path (null: unknown). */
  public static RequestAttributes http(String method, String path) {
    return new RequestAttributes(AppProtocol.HTTP, method, path, null, Map.of(), false, null, null, null);
  }

  /** Whether any HTTP-only attribute is set, which makes the request HTTP. */
  boolean anyHttp() {
    return method != null || path != null || host != null || !headers.isEmpty();
  }
}
