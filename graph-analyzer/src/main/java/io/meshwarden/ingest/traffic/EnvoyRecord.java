package io.meshwarden.ingest.traffic;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

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
   * The fields a JSON key can name. Keys are looked up once, in a table, rather than by a chain of
   * string comparisons per key: an Envoy line has about 24 of them.
   */
  enum Field {
    START_TIME,
    METHOD,
    PATH,
    PROTOCOL,
    RESPONSE_CODE,
    RESPONSE_FLAGS,
    RESPONSE_CODE_DETAILS,
    CONNECTION_TERMINATION_DETAILS,
    UPSTREAM_TRANSPORT_FAILURE_REASON,
    BYTES_RECEIVED,
    BYTES_SENT,
    DURATION,
    UPSTREAM_SERVICE_TIME,
    X_FORWARDED_FOR,
    USER_AGENT,
    REQUEST_ID,
    AUTHORITY,
    UPSTREAM_HOST,
    UPSTREAM_CLUSTER,
    UPSTREAM_LOCAL_ADDRESS,
    DOWNSTREAM_LOCAL_ADDRESS,
    DOWNSTREAM_REMOTE_ADDRESS,
    REQUESTED_SERVER_NAME,
    ROUTE_NAME,
    DOWNSTREAM_PEER_URI_SAN,
    DOWNSTREAM_LOCAL_URI_SAN,
    UPSTREAM_PEER_URI_SAN,
    FORWARDED_CLIENT_CERT;

    /**
     * Whether a flow needs the field. Most of an access-log line (user agent, request id, timings)
     * does not; not decoding those is a large share of the parse time.
     */
    boolean usedForFlows() {
      return switch (this) {
        case USER_AGENT, REQUEST_ID, DURATION, UPSTREAM_SERVICE_TIME, ROUTE_NAME, UPSTREAM_LOCAL_ADDRESS,
            UPSTREAM_TRANSPORT_FAILURE_REASON, PROTOCOL -> false;
        default -> true;
      };
    }
  }

  /** The snake_case names of Istio's JSON format and of Envoy's command operators, with their aliases. */
  private static final Map<String, Field> FIELDS = fields();

  private static Map<String, Field> fields() {
    Map<String, Field> m = new HashMap<>();
    for (Field f : Field.values()) {
      m.put(f.name().toLowerCase(Locale.ROOT), f);
    }
    m.put("timestamp", Field.START_TIME);
    m.put("x_envoy_upstream_service_time", Field.UPSTREAM_SERVICE_TIME);
    m.put("x_request_id", Field.REQUEST_ID);
    m.put("downstream_peer_address", Field.DOWNSTREAM_REMOTE_ADDRESS);
    m.put("x_forwarded_client_cert", Field.FORWARDED_CLIENT_CERT);
    return m;
  }

  /**
   * The field a JSON key names: the snake_case names of Istio's JSON format and of Envoy's
   * command operators, or the same in upper case or with dashes. Null for keys we do not know.
   */
  static Field field(String key) {
    Field f = FIELDS.get(key);
    if (f == null) {
      String normal = key.toLowerCase(Locale.ROOT).replace('-', '_');
      f = normal.equals(key) ? null : FIELDS.get(normal);
    }
    return f;
  }

  /**
   * Sets an integer field from a JSON number; false for fields that are not integers. The text
   * field is cleared so that, as with text, the last of two spellings of a key wins.
   */
  boolean setNumber(Field f, long v) {
    switch (f) {
      case RESPONSE_CODE -> {
        responseCode = null;
        responseCodeNumber = v;
      }
      case BYTES_RECEIVED -> {
        bytesReceived = null;
        bytesReceivedNumber = v;
      }
      case BYTES_SENT -> {
        bytesSent = null;
        bytesSentNumber = v;
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  void set(Field f, String v) {
    switch (f) {
      case START_TIME -> startTime = v;
      case METHOD -> method = v;
      case PATH -> path = v;
      case PROTOCOL -> protocol = v;
      case RESPONSE_CODE -> responseCode = v;
      case RESPONSE_FLAGS -> responseFlags = v;
      case RESPONSE_CODE_DETAILS -> responseCodeDetails = v;
      case CONNECTION_TERMINATION_DETAILS -> connectionTerminationDetails = v;
      case UPSTREAM_TRANSPORT_FAILURE_REASON -> upstreamTransportFailureReason = v;
      case BYTES_RECEIVED -> bytesReceived = v;
      case BYTES_SENT -> bytesSent = v;
      case DURATION -> duration = v;
      case UPSTREAM_SERVICE_TIME -> upstreamServiceTime = v;
      case X_FORWARDED_FOR -> xForwardedFor = v;
      case USER_AGENT -> userAgent = v;
      case REQUEST_ID -> requestId = v;
      case AUTHORITY -> authority = v;
      case UPSTREAM_HOST -> upstreamHost = v;
      case UPSTREAM_CLUSTER -> upstreamCluster = v;
      case UPSTREAM_LOCAL_ADDRESS -> upstreamLocalAddress = v;
      case DOWNSTREAM_LOCAL_ADDRESS -> downstreamLocalAddress = v;
      case DOWNSTREAM_REMOTE_ADDRESS -> downstreamRemoteAddress = v;
      case REQUESTED_SERVER_NAME -> requestedServerName = v;
      case ROUTE_NAME -> routeName = v;
      case DOWNSTREAM_PEER_URI_SAN -> downstreamPeerUriSan = v;
      case DOWNSTREAM_LOCAL_URI_SAN -> downstreamLocalUriSan = v;
      case UPSTREAM_PEER_URI_SAN -> upstreamPeerUriSan = v;
      case FORWARDED_CLIENT_CERT -> forwardedClientCert = v;
    }
  }
}
