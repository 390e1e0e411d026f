package io.meshwarden.replay;

import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogType;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.envoyproxy.envoy.data.accesslog.v3.TLSProperties;
import io.meshwarden.traffic.ObservedFlow;
import java.time.Instant;

/** Turns one recorded inbound flow back into the ALS entry its sidecar sent (pure). */
final class RecordedEntries {
  private RecordedEntries() {}

  /**
   * The HTTP entry for a recorded inbound request, stamped {@code at}: local address = the
   * server's, remote = the client's, the client's certificate SAN when mTLS named one.
   */
  static HTTPAccessLogEntry http(ObservedFlow f, Instant at) {
    AccessLogCommon.Builder c = AccessLogCommon.newBuilder()
        .setDownstreamLocalAddress(address(f.destination().ip(), f.port()))
        .setDownstreamRemoteAddress(address(f.source().ip(), f.source().port()))
        .setStartTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
        .setUpstreamCluster("inbound|" + f.port() + "||")
        .setAccessLogType(AccessLogType.DownstreamEnd);
    if (f.source().principal() != null) {
      c.setTlsProperties(TLSProperties.newBuilder().setPeerCertificateProperties(
          TLSProperties.CertificateProperties.newBuilder().addSubjectAltName(
              TLSProperties.CertificateProperties.SubjectAltName.newBuilder().setUri(f.source().principal()))));
    }
    HTTPRequestProperties.Builder req = HTTPRequestProperties.newBuilder();
    if (f.httpMethod() != null) {
      try {
        req.setRequestMethod(RequestMethod.valueOf(f.httpMethod()));
      } catch (IllegalArgumentException unknown) {
        // Envoy sends METHOD_UNSPECIFIED for a method outside its enum: so do we.
      }
    }
    if (f.httpPath() != null) {
      req.setPath(f.httpPath());
    }
    if (f.authority() != null) {
      req.setAuthority(f.authority());
    }
    req.setRequestBodyBytes(f.bytes());
    HTTPResponseProperties.Builder resp = HTTPResponseProperties.newBuilder().setResponseCodeDetails("via_upstream");
    if (f.responseCode() > 0) {
      resp.setResponseCode(UInt32Value.of(f.responseCode()));
    }
    return HTTPAccessLogEntry.newBuilder().setCommonProperties(c).setRequest(req).setResponse(resp).build();
  }

  private static Address address(String ip, int port) {
    SocketAddress.Builder s = SocketAddress.newBuilder().setPortValue(Math.max(0, port));
    if (ip != null) {
      s.setAddress(ip);
    }
    return Address.newBuilder().setSocketAddress(s).build();
  }
}
