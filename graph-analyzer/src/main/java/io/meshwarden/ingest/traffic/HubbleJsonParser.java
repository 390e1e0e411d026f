package io.meshwarden.ingest.traffic;

import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.FlowSource;
import io.meshwarden.traffic.ObservedFlow;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * {@code hubble observe -o json}: one {@code {"flow":{...}}} (or a bare flow) per line. Hubble sees
 * packets in both directions; reply packets would otherwise become server → client edges, so they
 * are skipped and counted, as is ICMP (no port to build policy on). When Hubble does not know
 * whether a packet is a reply ({@code is_reply} absent), a packet from a port below 32768 to one
 * above it that is not a SYN is taken as a reply.
 */
final class HubbleJsonParser implements LineParser {
  static final String SKIP_REPLY = "reply packet";
  static final String SKIP_REPLY_INFERRED = "reply packet (inferred from ports)";
  static final String SKIP_ICMP = "ICMP";
  static final String SKIP_NO_L4 = "no TCP/UDP/SCTP header";

  private final JsonLines json = new JsonLines();
  private final HubbleEndpoint src = new HubbleEndpoint();
  private final HubbleEndpoint dst = new HubbleEndpoint();
  private final HubbleLabels labels = new HubbleLabels();
  private boolean sawFlow;
  private String nonFlowKind;
  private String time;
  private String verdict;
  private String dropReason;
  private Protocol protocol;
  private boolean icmp;
  private Boolean isReply;
  private boolean reply;
  private boolean syn;
  private boolean ack;
  private String l7Type;
  private String httpMethod;
  private String httpUrl;
  private int httpCode;

  @Override
  public void parse(Line line, RecordSink sink) throws BadRecord {
    reset();
    try (JsonParser p = json.open(line)) {
      readFields(p, true);
      JsonLines.expectEnd(p);
    } catch (JacksonException e) {
      throw JsonLines.bad(e);
    }
    if (!sawFlow) {
      sink.skip("not a flow (" + (nonFlowKind == null ? "empty object" : nonFlowKind) + ")");
      return;
    }
    if (icmp) {
      sink.skip(SKIP_ICMP);
      return;
    }
    if (protocol == null) {
      sink.skip(SKIP_NO_L4);
      return;
    }
    if (Boolean.TRUE.equals(isReply) || reply || "RESPONSE".equals(l7Type) || (syn && ack)) {
      sink.skip(SKIP_REPLY);
      return;
    }
    if (isReply == null && src.port > 0 && src.port < 32768 && dst.port >= 32768 && !syn) {
      sink.skip(SKIP_REPLY_INFERRED);
      return;
    }
    Instant t = Timestamps.parse(time);
    String path = null;
    String authority = null;
    if (httpUrl != null) {
      int start = httpUrl.indexOf("://");
      int slash = start < 0 ? httpUrl.indexOf('/') : httpUrl.indexOf('/', start + 3);
      authority = start < 0 ? null : httpUrl.substring(start + 3, slash < 0 ? httpUrl.length() : slash);
      path = slash < 0 ? "/" : httpUrl.substring(slash);
      int q = path.indexOf('?');
      path = q >= 0 ? path.substring(0, q) : path;
    }
    sink.flow(new ObservedFlow(t, src.toEndpoint(labels.set(src)), dst.toEndpoint(labels.set(dst)),
        protocol, dst.port, httpMethod,
        httpMethod == null ? null : path, authority, httpCode, 0, verdict(), line.origin(), FlowSource.HUBBLE));
  }

  private void reset() {
    src.reset();
    dst.reset();
    sawFlow = false;
    nonFlowKind = time = verdict = dropReason = l7Type = httpMethod = httpUrl = null;
    protocol = null;
    icmp = reply = syn = ack = false;
    isReply = null;
    httpCode = 0;
  }

  private ObservedFlow.Verdict verdict() {
    if (verdict == null) {
      return ObservedFlow.Verdict.UNKNOWN;
    }
    return switch (verdict) {
      case "FORWARDED", "REDIRECTED", "TRANSLATED", "TRACED", "AUDIT" -> ObservedFlow.Verdict.FORWARDED;
      case "DROPPED", "ERROR" -> dropReason != null && dropReason.contains("POLICY")
          ? ObservedFlow.Verdict.DENIED : ObservedFlow.Verdict.DROPPED;
      default -> ObservedFlow.Verdict.UNKNOWN;
    };
  }

  private void readFields(JsonParser p, boolean root) {
    String name;
    while ((name = p.nextName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "flow" -> {
          if (root && t == JsonToken.START_OBJECT) {
            sawFlow = true;
            readFields(p, false);
          } else {
            JsonLines.skip(p, t);
          }
        }
        case "time" -> time = JsonLines.scalar(p, t);
        case "verdict" -> {
          sawFlow = true;
          verdict = JsonLines.scalar(p, t);
        }
        case "drop_reason_desc" -> dropReason = JsonLines.scalar(p, t);
        case "IP" -> readIp(p, t);
        case "l4" -> readL4(p, t);
        case "source" -> readEndpoint(p, t, src);
        case "destination" -> readEndpoint(p, t, dst);
        case "l7" -> readL7(p, t);
        case "is_reply" -> isReply = bool(p, t);
        case "reply" -> reply = Boolean.TRUE.equals(bool(p, t));
        case "source_service" -> readService(p, t, src);
        case "destination_service" -> readService(p, t, dst);
        case "destination_names" -> dst.serviceHost = firstString(p, t, dst.serviceHost);
        case "source_names" -> src.serviceHost = firstString(p, t, src.serviceHost);
        default -> {
          if (root && nonFlowKind == null && t == JsonToken.START_OBJECT) {
            nonFlowKind = name;
          }
          JsonLines.skip(p, t);
        }
      }
    }
  }

  private static Boolean bool(JsonParser p, JsonToken t) {
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    if (t == JsonToken.START_OBJECT) {
      // protobuf's BoolValue wrapper written as an object: {"value": true}
      Boolean v = null;
      String name;
      while ((name = p.nextName()) != null) {
        JsonToken inner = p.nextToken();
        if ("value".equals(name)) {
          v = inner == JsonToken.VALUE_TRUE;
        } else {
          JsonLines.scalar(p, inner);
        }
      }
      return v;
    }
    JsonLines.scalar(p, t);
    return null;
  }

  private void readIp(JsonParser p, JsonToken t) {
    if (t != JsonToken.START_OBJECT) {
      JsonLines.scalar(p, t);
      return;
    }
    sawFlow = true;
    String name;
    while ((name = p.nextName()) != null) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "source" -> src.ip = JsonLines.scalar(p, v);
        case "destination" -> dst.ip = JsonLines.scalar(p, v);
        default -> JsonLines.skip(p, v);
      }
    }
  }

  private void readL4(JsonParser p, JsonToken t) {
    if (t != JsonToken.START_OBJECT) {
      JsonLines.scalar(p, t);
      return;
    }
    String name;
    while ((name = p.nextName()) != null) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "TCP" -> readPorts(p, v, Protocol.TCP);
        case "UDP" -> readPorts(p, v, Protocol.UDP);
        case "SCTP" -> readPorts(p, v, Protocol.SCTP);
        case "ICMPv4", "ICMPv6" -> {
          icmp = true;
          JsonLines.skip(p, v);
        }
        default -> JsonLines.skip(p, v);
      }
    }
  }

  private void readPorts(JsonParser p, JsonToken t, Protocol proto) {
    if (t != JsonToken.START_OBJECT) {
      JsonLines.scalar(p, t);
      return;
    }
    protocol = proto;
    String name;
    while ((name = p.nextName()) != null) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "source_port" -> src.port = port(p, v);
        case "destination_port" -> dst.port = port(p, v);
        case "flags" -> readFlags(p, v);
        default -> JsonLines.skip(p, v);
      }
    }
  }

  private void readFlags(JsonParser p, JsonToken t) {
    if (t != JsonToken.START_OBJECT) {
      JsonLines.scalar(p, t);
      return;
    }
    String name;
    while ((name = p.nextName()) != null) {
      JsonToken v = p.nextToken();
      boolean set = v == JsonToken.VALUE_TRUE;
      if ("SYN".equals(name)) {
        syn = set;
      } else if ("ACK".equals(name)) {
        ack = set;
      } else {
        JsonLines.skip(p, v);
      }
    }
  }

  private static int port(JsonParser p, JsonToken t) {
    if (t == JsonToken.VALUE_NUMBER_INT) {
      int v = p.getIntValue();
      return v >= 0 && v <= 65535 ? v : 0;
    }
    JsonLines.scalar(p, t);
    return 0;
  }

  private void readEndpoint(JsonParser p, JsonToken t, HubbleEndpoint e) {
    if (t != JsonToken.START_OBJECT) {
      JsonLines.scalar(p, t);
      return;
    }
    sawFlow = true;
    String name;
    while ((name = p.nextName()) != null) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "namespace" -> e.namespace = Text.value(JsonLines.scalar(p, v));
        case "pod_name" -> e.podName = Text.value(JsonLines.scalar(p, v));
        case "identity" -> e.identity = v == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
        case "labels" -> {
          if (v == JsonToken.START_ARRAY) {
            JsonToken item;
            while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
              if (item == JsonToken.VALUE_STRING) {
                label(p, e, labels);
              } else {
                JsonLines.skip(p, item);
              }
            }
          } else {
            JsonLines.scalar(p, v);
          }
        }
        default -> JsonLines.skip(p, v);
      }
    }
  }

  private static final char[] CILIUM_NAMESPACE_LABEL = "k8s:io.cilium.k8s.namespace.".toCharArray();
  private static final char[] CILIUM_CLUSTER_LABEL = "k8s:io.cilium.k8s.policy.cluster".toCharArray();

  /** Namespace labels and the cluster name are most of a Hubble endpoint and never used: no string for them. */
  private static void label(JsonParser p, HubbleEndpoint e, HubbleLabels labels) {
    char[] chars = p.getStringCharacters();
    int off = p.getStringOffset();
    int len = p.getStringLength();
    if (startsWith(chars, off, len, CILIUM_NAMESPACE_LABEL) || startsWith(chars, off, len, CILIUM_CLUSTER_LABEL)) {
      return;
    }
    e.label(labels.label(chars, off, len));
  }

  private static boolean startsWith(char[] chars, int off, int len, char[] prefix) {
    if (len < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (chars[off + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static void readService(JsonParser p, JsonToken t, HubbleEndpoint e) {
    if (t != JsonToken.START_OBJECT) {
      JsonLines.scalar(p, t);
      return;
    }
    String svc = null;
    String ns = null;
    String name;
    while ((name = p.nextName()) != null) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "name" -> svc = Text.value(JsonLines.scalar(p, v));
        case "namespace" -> ns = Text.value(JsonLines.scalar(p, v));
        default -> JsonLines.skip(p, v);
      }
    }
    if (svc != null && ns != null) {
      e.serviceHost = svc + "." + ns + ".svc.cluster.local";
    }
  }

  private static String firstString(JsonParser p, JsonToken t, String current) {
    if (t != JsonToken.START_ARRAY) {
      JsonLines.scalar(p, t);
      return current;
    }
    String first = null;
    JsonToken item;
    while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
      String s = JsonLines.scalar(p, item);
      if (first == null) {
        first = Text.value(s);
      }
    }
    return current != null ? current : first;
  }

  private void readL7(JsonParser p, JsonToken t) {
    if (t != JsonToken.START_OBJECT) {
      JsonLines.scalar(p, t);
      return;
    }
    String name;
    while ((name = p.nextName()) != null) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "type" -> l7Type = JsonLines.scalar(p, v);
        case "http" -> readHttp(p, v);
        default -> JsonLines.skip(p, v);
      }
    }
  }

  private void readHttp(JsonParser p, JsonToken t) {
    if (t != JsonToken.START_OBJECT) {
      JsonLines.scalar(p, t);
      return;
    }
    String name;
    while ((name = p.nextName()) != null) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "method" -> httpMethod = Text.value(JsonLines.scalar(p, v));
        case "url" -> httpUrl = Text.value(JsonLines.scalar(p, v));
        case "code" -> httpCode = v == JsonToken.VALUE_NUMBER_INT ? Math.max(0, Math.min(999, p.getIntValue())) : 0;
        default -> JsonLines.skip(p, v);
      }
    }
  }
}
