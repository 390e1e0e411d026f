package io.meshwarden.ingest.traffic;

import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.Endpoint;
import io.meshwarden.traffic.FlowSource;
import io.meshwarden.traffic.ObservedFlow;
import java.time.Instant;
import java.util.Map;

/**
 * Turns an {@link EnvoyRecord} into a client → server flow. A sidecar logs each request twice, once
 * as the client's outbound listener ({@code outbound|9080||reviews.ns.svc.cluster.local}: the
 * client is the downstream, the server is the upstream host) and once as the server's inbound
 * listener ({@code inbound|9080||}: the client is the downstream, the server is the local address
 * it was accepted on); both become the same client → server flow. Without a cluster (edge proxies,
 * plain Envoy) the upstream host is the server and the downstream, or the first
 * {@code x-forwarded-for} hop, the client.
 */
final class EnvoyFlows {
  private EnvoyFlows() {}

  private enum Direction {
    INBOUND,
    OUTBOUND,
    UNKNOWN
  }

  static ObservedFlow toFlow(EnvoyRecord r, Origin origin) throws BadRecord {
    Instant time = Timestamps.parse(Text.value(r.startTime));
    String cluster = Text.value(r.upstreamCluster);
    Direction direction = direction(cluster);
    String clusterHost = null;
    int clusterPort = 0;
    if (cluster != null && (cluster.startsWith("inbound|") || cluster.startsWith("outbound|"))) {
      // direction|port|subset|host, cut by hand: a regex split allocates five objects per line.
      int bar1 = cluster.indexOf('|');
      int bar2 = cluster.indexOf('|', bar1 + 1);
      int bar3 = bar2 < 0 ? -1 : cluster.indexOf('|', bar2 + 1);
      int bar4 = bar3 < 0 ? -1 : cluster.indexOf('|', bar3 + 1);
      clusterPort = HostPort.port(cluster, bar1 + 1, bar2 < 0 ? cluster.length() : bar2);
      clusterHost = bar3 < 0 ? null : Text.value(cluster.substring(bar3 + 1, bar4 < 0 ? cluster.length() : bar4));
    }
    HostPort remote = HostPort.parse(r.downstreamRemoteAddress);
    HostPort local = HostPort.parse(r.downstreamLocalAddress);
    HostPort upstream = HostPort.parse(r.upstreamHost);
    HostPort authority = HostPort.parse(r.authority);
    String[] xfcc = forwardedClientCert(Text.value(r.forwardedClientCert));

    HostPort client = remote.host() != null ? remote : new HostPort(firstForwardedFor(r.xForwardedFor), 0);
    String clientPrincipal = null;
    HostPort server;
    String serverPrincipal;
    String serviceHost;
    switch (direction) {
      case INBOUND -> {
        server = first(local, upstream);
        clientPrincipal = first(Text.value(r.downstreamPeerUriSan), xfcc[1]);
        serverPrincipal = first(Text.value(r.downstreamLocalUriSan), xfcc[0]);
        serviceHost = first(clusterHost, sniHost(Text.value(r.requestedServerName)));
      }
      case OUTBOUND -> {
        server = first(upstream, local);
        serverPrincipal = Text.value(r.upstreamPeerUriSan);
        serviceHost = first(clusterHost, hostName(authority.host()), hostName(Text.value(r.requestedServerName)));
      }
      default -> {
        // The upstream of an edge proxy may be its own app on loopback: prefer any real address.
        server = upstream.host() != null && !HostPort.isLoopback(upstream.host()) ? upstream
            : first(local, upstream, HostPort.isIp(authority.host()) ? authority : HostPort.NONE);
        clientPrincipal = first(Text.value(r.downstreamPeerUriSan), xfcc[1]);
        serverPrincipal = Text.value(r.upstreamPeerUriSan);
        serviceHost = first(clusterHost, hostName(authority.host()), hostName(Text.value(r.requestedServerName)));
      }
    }
    int port = server.port() != 0 ? server.port() : clusterPort;
    if (client.host() == null && clientPrincipal == null) {
      throw new BadRecord("no client address (downstream_remote_address or x-forwarded-for)");
    }
    if (server.host() == null && serviceHost == null && serverPrincipal == null) {
      throw new BadRecord("no server address (upstream_host, downstream_local_address or authority)");
    }
    Endpoint source = new Endpoint(client.host(), client.port(), null, null, Map.of(), null, clientPrincipal, null,
        null);
    Endpoint destination = new Endpoint(server.host(), port, null, null, Map.of(), null, serverPrincipal, serviceHost,
        null);
    String method = Text.value(r.method);
    String path = Text.value(r.path);
    if (path != null) {
      int q = path.indexOf('?');
      path = q >= 0 ? path.substring(0, q) : path;
    }
    long code = number(r.responseCode, r.responseCodeNumber, "response_code");
    long bytes = number(r.bytesReceived, r.bytesReceivedNumber, "bytes_received")
        + number(r.bytesSent, r.bytesSentNumber, "bytes_sent");
    return new ObservedFlow(time, source, destination, Protocol.TCP, port, method, method == null ? null : path,
        Text.value(r.authority), (int) Math.max(0, Math.min(999, code)), bytes, verdict(r, cluster), origin,
        FlowSource.envoy(direction == Direction.UNKNOWN ? null : direction == Direction.INBOUND, method != null));
  }

  /** An integer field: its text when it came as text, else the number JSON gave (0 when absent). */
  private static long number(String text, long number, String field) throws BadRecord {
    return text != null ? Text.parseLong(Text.value(text), field) : number;
  }

  private static Direction direction(String cluster) {
    if (cluster == null) {
      return Direction.UNKNOWN;
    }
    if (cluster.startsWith("inbound|") || cluster.startsWith("InboundPassthroughCluster")) {
      return Direction.INBOUND;
    }
    if (cluster.startsWith("outbound|") || cluster.equals("PassthroughCluster") || cluster.equals("BlackHoleCluster")) {
      return Direction.OUTBOUND;
    }
    return Direction.UNKNOWN;
  }

  private static ObservedFlow.Verdict verdict(EnvoyRecord r, String cluster) {
    if (contains(r.responseCodeDetails, "rbac_access_denied") || contains(r.connectionTerminationDetails, "rbac_access_denied")
        || contains(r.responseFlags, "UAEX") || contains(r.responseCodeDetails, "ext_authz_denied")) {
      return ObservedFlow.Verdict.DENIED;
    }
    if ("BlackHoleCluster".equals(cluster)) {
      return ObservedFlow.Verdict.DROPPED;
    }
    return ObservedFlow.Verdict.FORWARDED;
  }

  private static boolean contains(String s, String part) {
    return s != null && s.contains(part);
  }

  /** Istio's SNI for mTLS between sidecars: {@code outbound_.8000_._.httpbin.default.svc.cluster.local}. */
  private static String sniHost(String sni) {
    if (sni != null && sni.startsWith("outbound_.")) {
      int at = sni.indexOf("_.", sni.indexOf("_.", 10) + 2);
      return at > 0 ? sni.substring(at + 2) : null;
    }
    return hostName(sni);
  }

  /** A DNS name, or null for IP literals (those are addresses, not names). */
  private static String hostName(String host) {
    return host == null || HostPort.isIp(host) ? null : host;
  }

  private static String firstForwardedFor(String xff) {
    xff = Text.value(xff);
    if (xff == null) {
      return null;
    }
    int comma = xff.indexOf(',');
    String first = (comma >= 0 ? xff.substring(0, comma) : xff).trim();
    return HostPort.isIp(first) ? first : null;
  }

  /**
   * The {@code By} (server) and {@code URI} (client) of the last element of an
   * {@code x-forwarded-client-cert} header: the hop nearest this proxy.
   */
  private static String[] forwardedClientCert(String xfcc) {
    String[] byAndUri = new String[2];
    if (xfcc == null) {
      return byAndUri;
    }
    String last = xfcc.substring(xfcc.lastIndexOf(',') + 1);
    for (String part : last.split(";")) {
      String p = part.trim();
      if (p.regionMatches(true, 0, "By=", 0, 3)) {
        byAndUri[0] = Text.value(unquote(p.substring(3)));
      } else if (p.regionMatches(true, 0, "URI=", 0, 4)) {
        byAndUri[1] = Text.value(unquote(p.substring(4)));
      }
    }
    return byAndUri;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }

  @SafeVarargs
  private static <T> T first(T... candidates) {
    for (T c : candidates) {
      if (c != null && (!(c instanceof HostPort hp) || hp.host() != null)) {
        return c;
      }
    }
    return candidates[candidates.length - 1] instanceof HostPort ? candidates[candidates.length - 1] : null;
  }
}
