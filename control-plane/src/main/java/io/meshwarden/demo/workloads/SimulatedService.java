package io.meshwarden.demo.workloads;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.xds.XdsServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One simulated service: a proxyless gRPC server (grpc-xds) with its own xDS bootstrap naming the
 * control plane and its pod's node metadata, so it takes its listener and RBAC from the ADS server
 * like any proxyless workload. Each method makes the calls the real app makes downstream, in order,
 * and fails (UNAVAILABLE, naming the callee) when one of them fails, as a real service answers
 * an error it cannot work around.
 */
final class SimulatedService implements AutoCloseable {
  private final DemoPod pod;
  private final Server server;
  private volatile boolean serving;
  private volatile String notServing = "not started";

  SimulatedService(DemoPod pod, OnlineBoutique.Service service, Callers callers, InetSocketAddress xds,
      Transport transport, AccessLogReporter log) {
    this.pod = pod;
    ServerServiceDefinition.Builder def = ServerServiceDefinition.builder(service.grpcService());
    service.methods().forEach((method, calls) -> def.addMethod(RawBytes.unary(service.fullName(method)),
        ServerCalls.asyncUnaryCall((req, obs) -> {
          for (OnlineBoutique.Call c : calls) {
            Status s = callers.call(pod.workload(), c);
            if (!s.isOk()) {
              obs.onError(Status.UNAVAILABLE.withDescription(c.callee() + " answered " + s.getCode()
                  + (s.getDescription() == null ? "" : ": " + s.getDescription())).asRuntimeException());
              return;
            }
          }
          obs.onNext((pod.workload() + " " + method).getBytes(StandardCharsets.UTF_8));
          obs.onCompleted();
        })));
    // One bootstrap per server, as each pod would have its own file: grpc-xds reads the system-wide
    // bootstrap once per JVM, and this JVM runs many pods, each a node of its own.
    XdsServerBuilder b = XdsServerBuilder.forPort(pod.port(), InsecureServerCredentials.create())
        .overrideBootstrapForTest(bootstrap(pod, xds))
        .xdsServingStatusListener(new XdsServerBuilder.XdsServingStatusListener() {
          @Override
          public void onServing() {
            serving = true;
            notServing = null;
          }

          @Override
          public void onNotServing(Throwable t) {
            serving = false;
            notServing = String.valueOf(t.getMessage());
          }
        })
        .addService(def.build())
        .addStreamTracerFactory(log.tracer())
        .intercept(LOOPBACK_ONLY);
    transport.bind((NettyServerBuilder) b.transportBuilder(), pod.address());
    this.server = b.build();
  }

  /** The bootstrap grpc-xds reads: our ADS server, and the pod's identity as Istio's metadata keys. */
  static Map<String, Object> bootstrap(DemoPod pod, InetSocketAddress xds) {
    return Map.of(
        "xds_servers", List.of(Map.of("server_uri", xds.getHostString() + ":" + xds.getPort(),
            "channel_creds", List.of(Map.of("type", "insecure")), "server_features", List.of("xds_v3"))),
        "node", Map.of("id", pod.nodeId(), "metadata", Map.of("NAMESPACE", pod.namespace(), "NAME", pod.name(),
            "SERVICE_ACCOUNT", pod.serviceAccount(), "WORKLOAD_NAME", pod.workload())),
        "server_listener_resource_name_template", "grpc/server?xds.resource.listening_address=%s");
  }

  /**
   * Refuses callers from outside this machine: the pods bind loopback addresses, and this keeps it
   * so even if a future grpc-xds bound the wildcard again.
   */
  private static final ServerInterceptor LOOPBACK_ONLY = new ServerInterceptor() {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      java.net.SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      if (!(remote instanceof InetSocketAddress in) || !in.getAddress().isLoopbackAddress()) {
        call.close(Status.UNAVAILABLE.withDescription("the simulated Online Boutique answers loopback callers only"),
            new Metadata());
        return new ServerCall.Listener<>() { };
      }
      return next.startCall(call, headers);
    }
  };

  /** Starts listening; grpc-xds returns once the first Listener and routes have arrived. */
  void start() throws IOException {
    server.start();
  }

  DemoPod pod() {
    return pod;
  }

  boolean serving() {
    return serving;
  }

  /** Why it does not serve (grpc-xds's reason), or null. */
  String notServing() {
    return notServing;
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
