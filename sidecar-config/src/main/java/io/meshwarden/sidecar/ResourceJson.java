package io.meshwarden.sidecar;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The reviewable JSON form of generated resources (proto3 JSON mapping, typed configs expanded,
 * map keys sorted), identical bytes for identical resources. Stateless.
 */
public final class ResourceJson {
  private static final JsonFormat.TypeRegistry REGISTRY = JsonFormat.TypeRegistry.newBuilder()
      .add(List.of(Listener.getDescriptor(), Cluster.getDescriptor(), RouteConfiguration.getDescriptor(),
          HttpConnectionManager.getDescriptor(), Router.getDescriptor(), TcpProxy.getDescriptor(),
          OriginalDst.getDescriptor(), HttpProtocolOptions.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute.getDescriptor(),
          io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig.getDescriptor(),
          io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig.getDescriptor()))
      .build();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(REGISTRY).sortingMapKeys();

  private ResourceJson() {}

  /** Every typed config a translator emits, for unpacking {@code Any} (validation, printing). */
  public static JsonFormat.TypeRegistry typeRegistry() {
    return REGISTRY;
  }

  public static String print(MessageOrBuilder resource) {
    try {
      return unescape(PRINTER.print(resource));
    } catch (InvalidProtocolBufferException e) {
      // Only our own resources come here, and every type they pack is registered.
      throw new UncheckedIOException(new java.io.IOException("unprintable resource: " + e.getMessage(), e));
    }
  }

  /**
   * JsonFormat escapes {@code = & < > '} as HTML-safe unicode escapes; JSON does not need that, and
   * grpc listener names ({@code ...listening_address=0.0.0.0:PORT}) read better without it.
   */
  private static String unescape(String json) {
    // Only escapes preceded by an even number of backslashes are escapes; "\\\\u003d" is literal text.
    return HTML_ESCAPE.matcher(json).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
        m.group(1) + (char) Integer.parseInt(m.group(2), 16)));
  }

  private static final java.util.regex.Pattern HTML_ESCAPE =
      java.util.regex.Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u(003d|0026|003c|003e|0027)");

  /** {@code {"workload": ..., "listeners": [...], "clusters": [...], "notes": [...]}}, two-space indented. */
  public static String print(WorkloadResources r) {
    StringBuilder sb = new StringBuilder("{\n  \"workload\": ").append(quote(r.workloadId())).append(",\n");
    array(sb, "listeners", r.listeners().stream().map(ResourceJson::print).toList());
    sb.append(",\n");
    array(sb, "clusters", r.clusters().stream().map(ResourceJson::print).toList());
    sb.append(",\n");
    array(sb, "notes", r.notes().stream().map(ResourceJson::quote).toList());
    return sb.append("\n}\n").toString();
  }

  private static void array(StringBuilder sb, String name, List<String> items) {
    sb.append("  ").append(quote(name)).append(": [");
    for (int i = 0; i < items.size(); i++) {
      sb.append(i == 0 ? "\n    " : ",\n    ").append(items.get(i).replace("\n", "\n    "));
    }
    sb.append(items.isEmpty() ? "]" : "\n  ]");
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
