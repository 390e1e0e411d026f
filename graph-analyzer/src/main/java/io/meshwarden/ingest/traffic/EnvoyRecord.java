package io.meshwarden.ingest.traffic;

import java.util.Locale;

/**
 * The access-log fields of one Envoy request or connection, under their Envoy command operator
 * names, as both the JSON and the text format carry them. Reused line after line; absent fields
 * are null.
 */
final class EnvoyRecord {
  String startTime;
  String method;
  String path;
  String protocol;
  String responseCode;
  String responseFlags;
  String responseCodeDetails;
  String connectionTerminationDetails;
  String upstreamTransportFailureReason;
  String bytesReceived;
  String bytesSent;
  String duration;
  String upstreamServiceTime;
  String xForwardedFor;
  String userAgent;
  String requestId;
  String authority;
  String upstreamHost;
  String upstreamCluster;
  String upstreamLocalAddress;
  String downstreamLocalAddress;
  String downstreamRemoteAddress;
  String requestedServerName;
  String routeName;
  String downstreamPeerUriSan;
  String downstreamLocalUriSan;
  String upstreamPeerUriSan;
  String forwardedClientCert;
  /**
   * Integer fields that JSON wrote as numbers, kept as numbers rather than turned into text and
   * parsed back; each counts only while its text field above is null.
   */
  long responseCodeNumber;
  long bytesReceivedNumber;
  long bytesSentNumber;

  void reset() {
    startTime = method = path = protocol = responseCode = responseFlags = responseCodeDetails = null;
    connectionTerminationDetails = upstreamTransportFailureReason = bytesReceived = bytesSent = null;
    duration = upstreamServiceTime = xForwardedFor = userAgent = requestId = authority = upstreamHost = null;
    upstreamCluster = upstreamLocalAddress = downstreamLocalAddress = downstreamRemoteAddress = null;
    requestedServerName = routeName = downstreamPeerUriSan = downstreamLocalUriSan = upstreamPeerUriSan = null;
    forwardedClientCert = null;
    responseCodeNumber = bytesReceivedNumber = bytesSentNumber = 0;
  }

  /**
   * Whether a flow needs the field under this key. Most of an access-log line (user agent, request
   * id, timings) does not; not decoding those is a large share of the parse time.
   */
  static boolean usedForFlows(String key) {
    return switch (key) {
      case "user_agent", "request_id", "duration", "upstream_service_time", "route_name", "upstream_local_address",
          "upstream_transport_failure_reason", "protocol" -> false;
      default -> true;
    };
  }

  /**
   * Sets a field by its JSON key: the snake_case names of Istio's JSON format and of Envoy's
   * command operators, or the same in upper case or with dashes. Returns false for keys we do not use.
   */
  boolean set(String key, String value) {
    if (setExact(key, value)) {
      return true;
    }
    String normal = normal(key);
    return !normal.equals(key) && setExact(normal, value);
  }

  /** Like {@link #set}, for a JSON integer; false for keys that are not integer fields. */
  boolean setNumber(String key, long value) {
    if (setNumberExact(key, value)) {
      return true;
    }
    String normal = normal(key);
    return !normal.equals(key) && setNumberExact(normal, value);
  }

  private static String normal(String key) {
    return key.toLowerCase(Locale.ROOT).replace('-', '_');
  }

  private boolean setNumberExact(String key, long v) {
    // The text field is cleared so that, as with text, the last of two spellings of a key wins.
    switch (key) {
      case "response_code" -> {
        responseCode = null;
        responseCodeNumber = v;
      }
      case "bytes_received" -> {
        bytesReceived = null;
        bytesReceivedNumber = v;
      }
      case "bytes_sent" -> {
        bytesSent = null;
        bytesSentNumber = v;
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private boolean setExact(String key, String v) {
    switch (key) {
      case "start_time", "timestamp" -> startTime = v;
      case "method" -> method = v;
      case "path" -> path = v;
      case "protocol" -> protocol = v;
      case "response_code" -> responseCode = v;
      case "response_flags" -> responseFlags = v;
      case "response_code_details" -> responseCodeDetails = v;
      case "connection_termination_details" -> connectionTerminationDetails = v;
      case "upstream_transport_failure_reason" -> upstreamTransportFailureReason = v;
      case "bytes_received" -> bytesReceived = v;
      case "bytes_sent" -> bytesSent = v;
      case "duration" -> duration = v;
      case "upstream_service_time", "x_envoy_upstream_service_time" -> upstreamServiceTime = v;
      case "x_forwarded_for" -> xForwardedFor = v;
      case "user_agent" -> userAgent = v;
      case "request_id", "x_request_id" -> requestId = v;
      case "authority" -> authority = v;
      case "upstream_host" -> upstreamHost = v;
      case "upstream_cluster" -> upstreamCluster = v;
      case "upstream_local_address" -> upstreamLocalAddress = v;
      case "downstream_local_address" -> downstreamLocalAddress = v;
      case "downstream_remote_address", "downstream_peer_address" -> downstreamRemoteAddress = v;
      case "requested_server_name" -> requestedServerName = v;
      case "route_name" -> routeName = v;
      case "downstream_peer_uri_san" -> downstreamPeerUriSan = v;
      case "downstream_local_uri_san" -> downstreamLocalUriSan = v;
      case "upstream_peer_uri_san" -> upstreamPeerUriSan = v;
      case "x_forwarded_client_cert", "forwarded_client_cert" -> forwardedClientCert = v;
      default -> {
        return false;
      }
    }
    return true;
  }
}
