package io.meshwarden.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.xds.XdsServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real proxyless gRPC server (grpc-xds {@code XdsServerBuilder}) configured by meshwarden's ADS
 * server as the pod it names in its node metadata, and a plaintext client calling it from loopback;
 * the xDS tests and the serve tests call through it (public for those in other packages).
 */
public final class GrpcApp implements AutoCloseable {
  private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  };

  private final Server server;
  private final ManagedChannel channel;

  /** Starts serving {@code methods} (full names, {@code pkg.Service/Method}); blocks until LDS and RDS arrived. */
  public GrpcApp(int port, int xdsPort, String namespace, String pod, String serviceAccount, String service,
      List<String> methods) throws IOException {
    Map<String, Object> bootstrap = Map.of(
        "xds_servers", List.of(Map.of("server_uri", "127.0.0.1:" + xdsPort,
            "channel_creds", List.of(Map.of("type", "insecure")), "server_features", List.of("xds_v3"))),
        "node", Map.of("id", pod + "." + namespace, "metadata",
            Map.of("NAMESPACE", namespace, "NAME", pod, "SERVICE_ACCOUNT", serviceAccount)),
        "server_listener_resource_name_template", "grpc/server?xds.resource.listening_address=%s");
    ServerServiceDefinition.Builder def = ServerServiceDefinition.builder(service);
    for (String m : methods) {
      def.addMethod(method(m), ServerCalls.asyncUnaryCall((req, obs) -> {
        obs.onNext(req);
        obs.onCompleted();
      }));
    }
    server = XdsServerBuilder.forPort(port, InsecureServerCredentials.create()).overrideBootstrapForTest(bootstrap)
        .addService(def.build()).build().start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
  }

  private static MethodDescriptor<String, String> method(String name) {
    return MethodDescriptor.<String, String>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(name).setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
  }

  public String call(String name) {
    return ClientCalls.blockingUnaryCall(channel, method(name), CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
        "hi");
  }

  public void allowed(String m) {
    assertEquals("hi", call(m));
  }

  public void denied(String m) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call(m));
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), e.toString());
  }

  /** Retries until the expectation holds (a pushed change takes the debounce plus up to ~100 ms to apply). */
  public static void eventually(Runnable expectation) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        expectation.run();
        return;
      } catch (AssertionError | StatusRuntimeException e) {
        if (System.nanoTime() > end) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
