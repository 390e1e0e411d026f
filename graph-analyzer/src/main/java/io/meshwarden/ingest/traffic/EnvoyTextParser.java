package io.meshwarden.ingest.traffic;

import java.util.ArrayList;
import java.util.List;

/**
 * Envoy's default text access-log format and Istio's longer default:
 *
 * <pre>
 * [START_TIME] "METHOD PATH PROTOCOL" RESPONSE_CODE RESPONSE_FLAGS [details...] BYTES_RECEIVED BYTES_SENT
 * DURATION UPSTREAM_SERVICE_TIME "X-FORWARDED-FOR" "USER-AGENT" "X-REQUEST-ID" "AUTHORITY" "UPSTREAM_HOST"
 * [UPSTREAM_CLUSTER UPSTREAM_LOCAL_ADDRESS DOWNSTREAM_LOCAL_ADDRESS DOWNSTREAM_REMOTE_ADDRESS
 * REQUESTED_SERVER_NAME ROUTE_NAME]
 * </pre>
 *
 * <p>Istio versions differ in what sits between the flags and the byte counts (nothing; a quoted
 * mixer status; response code details, termination details and a quoted transport failure), so
 * the parser anchors on the run of numbers instead of on positions. Envoy's own log lines, which
 * share the istio-proxy container log, are skipped rather than reported as bad.
 */
final class EnvoyTextParser implements LineParser {
  static final String SKIP_PROXY_LOG = "proxy log line (not an access-log entry)";

  private final EnvoyRecord record = new EnvoyRecord();
  private final List<String> tokens = new ArrayList<>();
  private final List<Boolean> quoted = new ArrayList<>();

  @Override
  public void parse(Line line, RecordSink sink) throws BadRecord {
    String s = line.text();
    if (!parseInto(s, record)) {
      sink.skip(SKIP_PROXY_LOG);
      return;
    }
    sink.flow(EnvoyFlows.toFlow(record, line.origin()));
  }

  /** Fills {@code r} from one line; false when the line is a proxy log line rather than an access log. */
  boolean parseInto(String s, EnvoyRecord r) throws BadRecord {
    r.reset();
    int i = 0;
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    if (i >= s.length() || s.charAt(i) != '[') {
      if (looksLikeLogTimestamp(s, i)) {
        return false;
      }
      throw new BadRecord("not an Envoy access-log line (expected \"[START_TIME]\")");
    }
    int close = s.indexOf(']', i);
    if (close < 0) {
      throw new BadRecord("unterminated [START_TIME]");
    }
    if (close + 1 < s.length() && s.charAt(close + 1) == '[') {
      // "[time][thread][level][logger] message": Envoy's application log.
      return false;
    }
    r.startTime = s.substring(i + 1, close);
    tokenize(s, close + 1);
    if (tokens.size() < 3 || !quoted.get(0)) {
      throw new BadRecord("expected \"METHOD PATH PROTOCOL\" RESPONSE_CODE RESPONSE_FLAGS after the time");
    }
    request(tokens.get(0), r);
    r.responseCode = bare(1);
    r.responseFlags = bare(2);
    int n = numbersAt();
    if (n < 0) {
      throw new BadRecord("no BYTES_RECEIVED BYTES_SENT DURATION after the response flags");
    }
    if (n >= 4) {
      r.responseCodeDetails = bare(3);
    }
    if (n >= 5) {
      r.connectionTerminationDetails = bare(4);
    }
    if (n > 3 && quoted.get(n - 1)) {
      r.upstreamTransportFailureReason = tokens.get(n - 1);
    }
    r.bytesReceived = tokens.get(n);
    r.bytesSent = tokens.get(n + 1);
    r.duration = tokens.get(n + 2);
    r.upstreamServiceTime = optional(n + 3);
    r.xForwardedFor = optional(n + 4);
    r.userAgent = optional(n + 5);
    r.requestId = optional(n + 6);
    r.authority = optional(n + 7);
    r.upstreamHost = optional(n + 8);
    r.upstreamCluster = optional(n + 9);
    r.upstreamLocalAddress = optional(n + 10);
    r.downstreamLocalAddress = optional(n + 11);
    r.downstreamRemoteAddress = optional(n + 12);
    r.requestedServerName = optional(n + 13);
    r.routeName = optional(n + 14);
    return true;
  }

  private static boolean looksLikeLogTimestamp(String s, int i) {
    return s.length() >= i + 10 && Character.isDigit(s.charAt(i)) && s.charAt(i + 4) == '-' && s.charAt(i + 7) == '-';
  }

  private void tokenize(String s, int from) throws BadRecord {
    tokens.clear();
    quoted.clear();
    int i = from;
    int n = s.length();
    while (true) {
      while (i < n && s.charAt(i) == ' ') {
        i++;
      }
      if (i >= n) {
        return;
      }
      if (s.charAt(i) == '"') {
        int end = s.indexOf('"', i + 1);
        if (end < 0) {
          throw new BadRecord("unterminated quoted field at column " + (i + 1));
        }
        tokens.add(s.substring(i + 1, end));
        quoted.add(Boolean.TRUE);
        i = end + 1;
      } else {
        int end = s.indexOf(' ', i);
        end = end < 0 ? n : end;
        tokens.add(s.substring(i, end));
        quoted.add(Boolean.FALSE);
        i = end;
      }
    }
  }

  private static void request(String req, EnvoyRecord r) {
    int first = req.indexOf(' ');
    int last = req.lastIndexOf(' ');
    if (first < 0) {
      r.method = req;
      return;
    }
    r.method = req.substring(0, first);
    if (last > first) {
      r.path = req.substring(first + 1, last);
      r.protocol = req.substring(last + 1);
    } else {
      r.path = req.substring(first + 1);
    }
  }

  /** The index of BYTES_RECEIVED: the first of three bare numbers after the flags, or -1. */
  private int numbersAt() {
    for (int i = 3; i + 2 < tokens.size() && i <= 7; i++) {
      if (number(i) && number(i + 1) && number(i + 2)) {
        return i;
      }
    }
    return -1;
  }

  private boolean number(int i) {
    if (quoted.get(i)) {
      return false;
    }
    String t = tokens.get(i);
    if (t.isEmpty()) {
      return false;
    }
    for (int k = 0; k < t.length(); k++) {
      if (!Character.isDigit(t.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  private String bare(int i) {
    return quoted.get(i) ? null : tokens.get(i);
  }

  private String optional(int i) {
    return i < tokens.size() ? tokens.get(i) : null;
  }
}
