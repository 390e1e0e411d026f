package io.meshwarden.sidecar.listener;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/** The local clusters inbound filter chains forward to. */
final class Clusters {
  /** Where the default chain sends ports no rule names (DRY_RUN only gets that far): the port asked for. */
  static final String PASSTHROUGH = "InboundPassthroughCluster";
  private static final Duration CONNECT_TIMEOUT = Duration.newBuilder().setSeconds(10).build();

  private Clusters() {}

  /** Istio's inbound cluster name for a port. */
  static String inboundName(int port) {
    return "inbound|" + port + "||";
  }

  /**
   * The application on {@code address:port}. HTTP ports speak upstream what the client spoke
   * downstream, so gRPC (HTTP/2) reaches the application as HTTP/2.
   */
  static Cluster inbound(int port, String address, boolean http) {
    Cluster.Builder b = Cluster.newBuilder()
        .setName(inboundName(port))
        .setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(CONNECT_TIMEOUT)
        .setLoadAssignment(ClusterLoadAssignment.newBuilder()
            .setClusterName(inboundName(port))
            .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                .setEndpoint(Endpoint.newBuilder().setAddress(socket(address, port))))));
    if (http) {
      HttpProtocolOptions options = HttpProtocolOptions.newBuilder()
          .setUseDownstreamProtocolConfig(HttpProtocolOptions.UseDownstreamHttpConfig.getDefaultInstance())
          .build();
      b.putTypedExtensionProtocolOptions("envoy.extensions.upstreams.http.v3.HttpProtocolOptions", Any.pack(options));
    }
    return b.build();
  }

  /** The original destination of a redirected connection, for the default chain. */
  static Cluster passthrough() {
    return Cluster.newBuilder()
        .setName(PASSTHROUGH)
        .setType(Cluster.DiscoveryType.ORIGINAL_DST)
        .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
        .setConnectTimeout(CONNECT_TIMEOUT)
        .build();
  }

  static Address socket(String address, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(address).setPortValue(port))
        .build();
  }
}
