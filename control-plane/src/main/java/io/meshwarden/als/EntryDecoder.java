package io.meshwarden.als;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogType;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TLSProperties;
import io.meshwarden.aggregate.Observation;
import io.meshwarden.aggregate.StreamNode;
import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.Endpoint;
import io.meshwarden.traffic.FlowSource;
import io.meshwarden.traffic.ObservedFlow;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * One Envoy access log entry → one {@link Observation} of the stream's node: the peer is the
 * certificate URI SAN when the connection had one, else the downstream remote address; the port
 * is the downstream local port; RBAC shadow results come from the entry's dynamic metadata. Every
 * entry is an inbound one of the node's workload (the aggregator refuses the rest), so its source
 * is Envoy's inbound log: it sees that workload's ingress on the ports something was logged on.
 */
final class EntryDecoder {
  static final String HTTP_RBAC = "envoy.filters.http.rbac";
  static final String NETWORK_RBAC = "envoy.filters.network.rbac";
  private static final String SHADOW_RESULT = "shadow_engine_result";
  private static final String SHADOW_POLICY = "shadow_effective_policy_id";
  private static final String RBAC_DENIED = "rbac_access_denied";

  private final Clock clock;
  private final String trustDomainPrefix;

  EntryDecoder(Clock clock, String trustDomain) {
    this.clock = clock;
    this.trustDomainPrefix = "spiffe://" + trustDomain + "/";
  }

  Observation http(HTTPAccessLogEntry e, StreamNode node) {
    AccessLogCommon c = e.getCommonProperties();
    String method = e.getRequest().getRequestMethod() == RequestMethod.METHOD_UNSPECIFIED
        || e.getRequest().getRequestMethod() == RequestMethod.UNRECOGNIZED ? null : e.getRequest().getRequestMethod().name();
    String path = e.getRequest().getPath().isEmpty() ? null : e.getRequest().getPath();
    String details = e.getResponse().getResponseCodeDetails().isEmpty() ? null : e.getResponse().getResponseCodeDetails();
    boolean counted = counted(c.getAccessLogType());
    long bytes = counted ? e.getRequest().getRequestHeadersBytes() + e.getRequest().getRequestBodyBytes()
        + e.getResponse().getResponseHeadersBytes() + e.getResponse().getResponseBodyBytes() : 0;
    int code = e.getResponse().hasResponseCode() ? e.getResponse().getResponseCode().getValue() : 0;
    return observation(c, node, method, path, e.getRequest().getAuthority(), code, bytes, details, HTTP_RBAC, counted,
        FlowSource.ENVOY_INBOUND_HTTP);
  }

  Observation tcp(TCPAccessLogEntry e, StreamNode node) {
    AccessLogCommon c = e.getCommonProperties();
    boolean counted = counted(c.getAccessLogType());
    long bytes = counted ? e.getConnectionProperties().getReceivedBytes() + e.getConnectionProperties().getSentBytes() : 0;
    String details = c.getConnectionTerminationDetails().isEmpty() ? null : c.getConnectionTerminationDetails();
    return observation(c, node, null, null, null, 0, bytes, details, NETWORK_RBAC, counted,
        FlowSource.ENVOY_INBOUND_TCP);
  }

  /**
   * Whether an entry stands for a request or connection of its own: the final entry does, and so
   * does an entry of an Envoy that does not say; periodic and "connected" entries repeat one that
   * will end later, so counting them would count it twice.
   */
  private static boolean counted(AccessLogType t) {
    return switch (t) {
      case NotSet, TcpConnectionEnd, DownstreamEnd, UdpSessionEnd, UNRECOGNIZED -> true;
      default -> false;
    };
  }

  private Observation observation(AccessLogCommon c, StreamNode node, String method, String path, String authority,
      int code, long bytes, String details, String rbacFilter, boolean counted, FlowSource observer) {
    String principal = uriSan(c);
    Endpoint source;
    if (principal != null && principal.startsWith("spiffe://") && !principal.startsWith(trustDomainPrefix)) {
      // A certificate of another trust domain is none of our workloads, whatever namespace and
      // service account it names, nor is the address it came from: it is an external peer known
      // by its SPIFFE id.
      source = new Endpoint(null, port(c.getDownstreamRemoteAddress()), null, null, Map.of(), null, null, principal,
          null);
    } else {
      source = new Endpoint(ip(c.getDownstreamRemoteAddress()), port(c.getDownstreamRemoteAddress()), null, null,
          Map.of(), null, principal, null, null);
    }
    int localPort = port(c.getDownstreamLocalAddress());
    Endpoint destination = Endpoint.ofAddress(ip(c.getDownstreamLocalAddress()), localPort);
    boolean denied = details != null && details.startsWith(RBAC_DENIED);
    ObservedFlow flow = new ObservedFlow(time(c.getStartTime()), source, destination, Protocol.TCP, localPort, method,
        path, authority == null || authority.isEmpty() ? null : authority, code, bytes,
        denied ? ObservedFlow.Verdict.DENIED : ObservedFlow.Verdict.FORWARDED, node.origin(), observer);
    String shadowResult = null;
    String shadowPolicy = null;
    Struct rbac = c.getMetadata().getFilterMetadataMap().get(rbacFilter);
    if (rbac != null) {
      // The keys carry the filter's shadow_rules_stat_prefix in front: match on the suffix.
      for (Map.Entry<String, Value> f : rbac.getFieldsMap().entrySet()) {
        if (f.getKey().endsWith(SHADOW_RESULT) && f.getValue().hasStringValue()) {
          shadowResult = f.getValue().getStringValue();
        } else if (f.getKey().endsWith(SHADOW_POLICY) && f.getValue().hasStringValue()) {
          shadowPolicy = f.getValue().getStringValue();
        }
      }
    }
    return new Observation(node, flow, shadowResult, shadowPolicy, details, counted);
  }

  private Instant time(Timestamp t) {
    return t.getSeconds() == 0 && t.getNanos() == 0 ? clock.instant() : Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static String uriSan(AccessLogCommon c) {
    if (!c.hasTlsProperties()) {
      return null;
    }
    TLSProperties tls = c.getTlsProperties();
    for (TLSProperties.CertificateProperties.SubjectAltName san
        : tls.getPeerCertificateProperties().getSubjectAltNameList()) {
      if (san.hasUri() && !san.getUri().isEmpty()) {
        return san.getUri();
      }
    }
    return null;
  }

  private static String ip(Address a) {
    return a.hasSocketAddress() && !a.getSocketAddress().getAddress().isEmpty() ? a.getSocketAddress().getAddress() : null;
  }

  private static int port(Address a) {
    return a.hasSocketAddress() ? a.getSocketAddress().getPortValue() : 0;
  }

}
