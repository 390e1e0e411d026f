package io.meshwarden.synthesis;

import io.meshwarden.model.Protocol;
import java.util.List;
import java.util.Objects;

/**
 * One allowed port of a workload, with the peers allowed on it and, for HTTP, the requests.
 *
 * @param peers who may connect (ingress) or be connected to (egress); never empty
 * @param portName the container port's name when it has one (NetworkPolicy may use it)
 * @param http allowed requests; empty means any traffic on the port (L4 only)
 */
public record PortRule(Protocol protocol, int port, String portName, List<Peer> peers, List<HttpMatch> http,
    Provenance provenance) {

  public PortRule {
    Objects.requireNonNull(protocol, "protocol");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " out of range");
    }
    peers = List.copyOf(peers);
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("a rule needs at least one peer");
    }
    http = List.copyOf(http);
    Objects.requireNonNull(provenance, "provenance");
  }

  /** Whether the rule constrains HTTP requests (then Envoy needs an HTTP filter chain). */
  public boolean isHttp() {
    return !http.isEmpty();
  }
}
