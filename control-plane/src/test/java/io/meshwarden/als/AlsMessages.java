package io.meshwarden.als;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogType;
import io.envoyproxy.envoy.data.accesslog.v3.ConnectionProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TLSProperties;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import java.time.Instant;
import java.util.List;

/** Builders of Envoy ALS messages as an Istio sidecar sends them, for tests and the benchmark. */
public final class AlsMessages {
  private AlsMessages() {}

  /** An Istio sidecar node: metadata NAMESPACE, NAME, SERVICE_ACCOUNT and an Istio node id. */
  public static Node node(String namespace, String pod, String serviceAccount, String ip) {
    Struct md = Struct.newBuilder()
        .putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build())
        .putFields("NAME", Value.newBuilder().setStringValue(pod).build())
        .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue(serviceAccount).build())
        .build();
    return Node.newBuilder().setId("sidecar~" + ip + "~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local")
        .setMetadata(md).build();
  }

  public static Address address(String ip, int port) {
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port)).build();
  }

  /** An inbound HTTP entry; {@code san} may be null (plaintext). */
  public static HTTPAccessLogEntry http(String localIp, int localPort, String remoteIp, String san, String method,
      String path, int code, Instant at) {
    AccessLogCommon.Builder c = AccessLogCommon.newBuilder()
        .setDownstreamLocalAddress(address(localIp, localPort))
        .setDownstreamRemoteAddress(address(remoteIp, 40000))
        .setStartTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
        .setUpstreamCluster("inbound|" + localPort + "||")
        .setAccessLogType(AccessLogType.DownstreamEnd);
    if (san != null) {
      c.setTlsProperties(TLSProperties.newBuilder().setPeerCertificateProperties(
          TLSProperties.CertificateProperties.newBuilder().addSubjectAltName(
              TLSProperties.CertificateProperties.SubjectAltName.newBuilder().setUri(san))));
    }
    return HTTPAccessLogEntry.newBuilder().setCommonProperties(c)
        .setRequest(HTTPRequestProperties.newBuilder().setRequestMethod(RequestMethod.valueOf(method)).setPath(path)
            .setRequestHeadersBytes(100).setRequestBodyBytes(20))
        .setResponse(HTTPResponseProperties.newBuilder().setResponseCode(UInt32Value.of(code))
            .setResponseCodeDetails("via_upstream").setResponseHeadersBytes(80).setResponseBodyBytes(300))
        .build();
  }

  /** The same entry with RBAC shadow results in its dynamic metadata, as Envoy's HTTP RBAC filter writes them. */
  public static HTTPAccessLogEntry withShadow(HTTPAccessLogEntry e, String prefix, String result, String policyId) {
    Struct.Builder rbac = Struct.newBuilder()
        .putFields(prefix + "shadow_engine_result", Value.newBuilder().setStringValue(result).build());
    if (policyId != null) {
      rbac.putFields(prefix + "shadow_effective_policy_id", Value.newBuilder().setStringValue(policyId).build());
    }
    return e.toBuilder().setCommonProperties(e.getCommonProperties().toBuilder()
        .setMetadata(Metadata.newBuilder().putFilterMetadata("envoy.filters.http.rbac", rbac.build()))).build();
  }

  /** A finished inbound TCP connection. */
  public static TCPAccessLogEntry tcp(String localIp, int localPort, String remoteIp, Instant at) {
    return TCPAccessLogEntry.newBuilder().setCommonProperties(AccessLogCommon.newBuilder()
            .setDownstreamLocalAddress(address(localIp, localPort))
            .setDownstreamRemoteAddress(address(remoteIp, 41000))
            .setStartTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()))
            .setAccessLogType(AccessLogType.TcpConnectionEnd))
        .setConnectionProperties(ConnectionProperties.newBuilder().setReceivedBytes(10).setSentBytes(30))
        .build();
  }

  /** A message; {@code node} set makes it a stream's first message. */
  public static StreamAccessLogsMessage message(Node node, List<HTTPAccessLogEntry> http, List<TCPAccessLogEntry> tcp) {
    StreamAccessLogsMessage.Builder m = StreamAccessLogsMessage.newBuilder();
    if (node != null) {
      m.setIdentifier(StreamAccessLogsMessage.Identifier.newBuilder().setNode(node).setLogName("als"));
    }
    if (!http.isEmpty()) {
      m.setHttpLogs(StreamAccessLogsMessage.HTTPAccessLogEntries.newBuilder().addAllLogEntry(http));
    }
    if (!tcp.isEmpty()) {
      m.setTcpLogs(StreamAccessLogsMessage.TCPAccessLogEntries.newBuilder().addAllLogEntry(tcp));
    }
    return m.build();
  }
}
