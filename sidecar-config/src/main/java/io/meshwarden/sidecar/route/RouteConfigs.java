package io.meshwarden.sidecar.route;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.route.v3.NonForwardingAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

/** Builds the inline route tables of inbound HTTP connection managers. Stateless. */
public final class RouteConfigs {
  private RouteConfigs() {}

  /** Everything on {@code port} to the local cluster, with no route timeout (gRPC streams are long). */
  public static RouteConfiguration inbound(int port, String cluster) {
    Route route = Route.newBuilder()
        .setName("default")
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder().setCluster(cluster).setTimeout(Duration.getDefaultInstance()))
        .build();
    return RouteConfiguration.newBuilder()
        .setName("inbound|" + port)
        // Clusters arrive over CDS, possibly after the listener: do not make LDS depend on CDS order.
        .setValidateClusters(com.google.protobuf.BoolValue.of(false))
        .addVirtualHosts(VirtualHost.newBuilder().setName("inbound|http|" + port).addDomains("*").addRoutes(route))
        .build();
  }

  /** The table a proxyless gRPC server needs: every call handled in-process. */
  public static RouteConfiguration grpcServer(int port) {
    Route route = Route.newBuilder()
        .setName("default")
        .setMatch(RouteMatch.newBuilder().setPrefix(""))
        .setNonForwardingAction(NonForwardingAction.getDefaultInstance())
        .build();
    return RouteConfiguration.newBuilder()
        .setName("grpc|" + port)
        .addVirtualHosts(VirtualHost.newBuilder().setName("grpc|" + port).addDomains("*").addRoutes(route))
        .build();
  }
}
