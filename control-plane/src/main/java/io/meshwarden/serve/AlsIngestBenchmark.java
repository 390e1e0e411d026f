package io.meshwarden.serve;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogType;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.envoyproxy.envoy.data.accesslog.v3.TLSProperties;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.meshwarden.aggregate.IngestCounters;
import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.demo.workloads.RawBytes;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.ServingMode;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.listener.ServedTranslator;
import io.meshwarden.store.SqliteStore;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.Provenance;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.meshwarden.verdict.ServedNamespace;
import io.meshwarden.verdict.ServedPolicies;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * ALS ingestion end to end: a running {@link ServeRuntime} (store and flushes included) on a
 * synthetic cluster, and sidecar streams that send pre-encoded {@code StreamAccessLogsMessage}s
 * over loopback gRPC, honouring flow control as Envoy does. What is timed is the server's work:
 * HTTP/2 framing, protobuf decoding, the queue, checking each entry against its node, resolving
 * and aggregating; the clients only copy bytes. Every entry ends accepted, refused or dropped,
 * and the three add up to what was sent. With {@code dryRun}, every namespace is served in dry-run
 * (each workload's proposal admits half its peers, GET under {@code /api/items/}), so the live
 * dry-run judges every accepted entry too; the clock then stops when each one is judged or dropped.
 */
public final class AlsIngestBenchmark {

  /** What to run. */
  public record Spec(long entries, int entriesPerMessage, int streams, int namespaces, int workloadsPerNamespace,
      int queueCapacity, long seed, boolean dryRun) {
    public Spec {
      if (entries < 1 || entriesPerMessage < 1 || streams < 1 || namespaces < 1 || workloadsPerNamespace < 2) {
        throw new IllegalArgumentException("entries, batch, streams and namespaces must be positive, and at least"
            + " two workloads per namespace");
      }
    }
  }

  /** What one run measured. */
  public record Result(long sent, long accepted, long refused, long dropped, long edges, Duration elapsed,
      long messages, long judged, long wouldDeny, long verdictsDropped) {
    public double entriesPerSecond() {
      return accepted * 1e9 / Math.max(1, elapsed.toNanos());
    }
  }

  private AlsIngestBenchmark() {}

  /** The synthetic cluster: one running pod per workload (bare pods, so the pod is the workload). */
  static List<Pod> cluster(Spec s) {
    List<Pod> out = new ArrayList<>();
    for (int n = 0; n < s.namespaces(); n++) {
      for (int w = 0; w < s.workloadsPerNamespace(); w++) {
        String name = "svc-" + w;
        out.add(new PodBuilder().withNewMetadata().withNamespace("ns-" + n).withName(name)
            .withLabels(Map.of("app", name)).endMetadata()
            .withNewSpec().withServiceAccountName(name).withContainers(new ContainerBuilder().withName(name)
                .withImage("img").addNewPort().withName("http").withContainerPort(8080).endPort().build()).endSpec()
            .withNewStatus().withPhase("Running").withPodIP(ip(n, w)).endStatus().build());
      }
    }
    return out;
  }

  private static String ip(int namespace, int workload) {
    return "10." + (namespace / 250) + "." + (namespace % 250) + "." + (workload + 1);
  }

  public static Result run(Spec s, Path stateDir) throws Exception {
    Files.createDirectories(stateDir);
    StringWriter log = new StringWriter();
    LiveIndex index = new LiveIndex(LiveIndex.Options.defaults());
    cluster(s).forEach(index::apply);
    ServedPolicies served = s.dryRun() ? dryRun(s, index.flush().get(30, TimeUnit.SECONDS).model())
        : namespace -> Optional.empty();
    ServeRuntime rt = ServeRuntime.start(index, index.flush(), SqliteStore.open(stateDir), served,
        new ServeRuntime.Options(List.of(), stateDir, "127.0.0.1", 0, 0, 0, "cluster.local",
            new LiveAggregator.Settings(s.queueCapacity(), Duration.ofDays(30), Duration.ofSeconds(2),
                Clock.systemUTC()), "bench"),
        new PrintWriter(log, true), new PrintWriter(log, true));
    try {
      if (!rt.awaitReady(Duration.ofSeconds(30))) {
        throw new IllegalStateException("serve did not become ready: " + log);
      }
      List<List<byte[]>> perStream = new ArrayList<>();
      Random random = new Random(s.seed());
      for (int i = 0; i < s.streams(); i++) {
        perStream.add(messages(s, i, random));
      }
      MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
          .setFullMethodName(AccessLogServiceGrpc.getStreamAccessLogsMethod().getFullMethodName())
          .setRequestMarshaller(RawBytes.INSTANCE).setResponseMarshaller(RawBytes.INSTANCE).build();
      long perStreamMessages = Math.max(1, s.entries() / s.entriesPerMessage() / s.streams());
      long sent = perStreamMessages * s.streams() * s.entriesPerMessage();
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", rt.alsPort()).usePlaintext()
          .flowControlWindow(1 << 20).build();
      IngestCounters c = rt.counters();
      long t0 = System.nanoTime();
      try {
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < s.streams(); i++) {
          List<byte[]> msgs = perStream.get(i);
          Thread t = new Thread(() -> send(ch, raw, msgs, perStreamMessages), "bench-sidecar-" + i);
          t.start();
          senders.add(t);
        }
        for (Thread t : senders) {
          t.join();
        }
        while (c.accepted() + c.refused() + c.dropped() < sent) {
          Thread.sleep(1);
        }
        while (s.dryRun() && rt.verdicts().judged() + rt.verdicts().dropped() < c.accepted()) {
          Thread.sleep(1);
        }
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
      long edges = rt.aggregator().view().get(60, TimeUnit.SECONDS).traffic().edges().size();
      return new Result(sent, c.accepted(), c.refused(), c.dropped(), edges, elapsed, perStreamMessages * s.streams(),
          rt.verdicts().judged(), rt.verdicts().wouldDenyTotal(), rt.verdicts().dropped());
    } finally {
      rt.close();
    }
  }

  /** Every namespace in dry-run; each workload's proposal admits peers svc-0 .. svc-(n/2 - 1), GET /api/items/*. */
  private static ServedPolicies dryRun(Spec s, ClusterModel model) {
    Map<String, Map<String, ServedResources>> byNamespace = new HashMap<>();
    for (Workload w : model.workloads()) {
      List<Peer> peers = new ArrayList<>();
      for (int p = 0; p < s.workloadsPerNamespace() / 2; p++) {
        peers.add(Peer.workload(w.namespace() + "/Pod/svc-" + p, w.namespace(), Map.of("app", "svc-" + p),
            "cluster.local/ns/" + w.namespace() + "/sa/svc-" + p));
      }
      PortRule rule = new PortRule(Protocol.TCP, 8080, "http", peers, List.of(new HttpMatch("GET", "/api/items/", true)),
          new Provenance("observed", List.of(), 1, null, null));
      WorkloadPolicy policy = new WorkloadPolicy(w.namespace(), w.id(), w.name(), w.podLabels(), w.serviceAccount(),
          List.of(rule), List.of());
      byNamespace.computeIfAbsent(w.namespace(), k -> new HashMap<>()).put(w.id(),
          ServedTranslator.envoy(w.id(), PolicyLayers.dryRun(policy), TranslatorOptions.DEFAULTS, "als"));
    }
    Map<String, ServedNamespace> served = new HashMap<>();
    byNamespace.forEach((ns, resources) -> served.put(ns,
        new ServedNamespace(ns, ServingMode.DRY_RUN, "bench", null, resources)));
    Map<String, ServedNamespace> fixed = Map.copyOf(served);
    return namespace -> Optional.ofNullable(fixed.get(namespace));
  }

  private static void send(ManagedChannel ch, MethodDescriptor<byte[], byte[]> raw, List<byte[]> msgs, long count) {
    ReentrantLock lock = new ReentrantLock();
    Condition ready = lock.newCondition();
    CountDownLatch done = new CountDownLatch(1);
    ClientResponseObserver<byte[], byte[]> responses = new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<byte[]> requests) {
        requests.setOnReadyHandler(() -> {
          lock.lock();
          try {
            ready.signalAll();
          } finally {
            lock.unlock();
          }
        });
      }

      @Override
      public void onNext(byte[] value) {}

      @Override
      public void onError(Throwable t) {
        done.countDown();
      }

      @Override
      public void onCompleted() {
        done.countDown();
      }
    };
    ClientCallStreamObserver<byte[]> requests = (ClientCallStreamObserver<byte[]>) ClientCalls.asyncClientStreamingCall(
        ch.newCall(raw, CallOptions.DEFAULT), responses);
    for (long i = 0; i < count; i++) {
      // Envoy buffers and drops on its side when the stream is not writable; the benchmark waits.
      lock.lock();
      try {
        while (!requests.isReady()) {
          ready.await(10, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
      requests.onNext(msgs.get((int) (i % msgs.size())));
    }
    requests.onCompleted();
    try {
      done.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Messages of one sidecar (workload {@code stream} of its namespace): the first names the node,
   * the rest carry entries only; 1 in 1,000 entries claims another workload's address (refused).
   */
  private static List<byte[]> messages(Spec s, int stream, Random random) {
    int ns = stream % s.namespaces();
    int self = (stream / s.namespaces()) % s.workloadsPerNamespace();
    String pod = "svc-" + self;
    Node node = Node.newBuilder().setId("sidecar~" + ip(ns, self) + "~" + pod + ".ns-" + ns + "~ns-" + ns
        + ".svc.cluster.local").setMetadata(Struct.newBuilder()
            .putFields("NAMESPACE", Value.newBuilder().setStringValue("ns-" + ns).build())
            .putFields("NAME", Value.newBuilder().setStringValue(pod).build())
            .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue("svc-" + self).build()))
        .build();
    long now = Instant.now().getEpochSecond();
    List<byte[]> out = new ArrayList<>();
    for (int m = 0; m < 64; m++) {
      StreamAccessLogsMessage.HTTPAccessLogEntries.Builder entries = StreamAccessLogsMessage.HTTPAccessLogEntries
          .newBuilder();
      for (int e = 0; e < s.entriesPerMessage(); e++) {
        int peer = random.nextInt(s.workloadsPerNamespace());
        boolean forged = random.nextInt(1000) == 0;
        int local = forged ? (self + 1) % s.workloadsPerNamespace() : self;
        entries.addLogEntry(HTTPAccessLogEntry.newBuilder()
            .setCommonProperties(AccessLogCommon.newBuilder()
                .setDownstreamLocalAddress(address(ip(ns, local), 8080))
                .setDownstreamRemoteAddress(address(ip(ns, peer), 30000 + random.nextInt(30000)))
                .setTlsProperties(TLSProperties.newBuilder().setPeerCertificateProperties(
                    TLSProperties.CertificateProperties.newBuilder().addSubjectAltName(
                        TLSProperties.CertificateProperties.SubjectAltName.newBuilder()
                            .setUri("spiffe://cluster.local/ns/ns-" + ns + "/sa/svc-" + peer))))
                .setStartTime(Timestamp.newBuilder().setSeconds(now - random.nextInt(3600)))
                .setUpstreamCluster("inbound|8080||")
                .setAccessLogType(AccessLogType.DownstreamEnd))
            .setRequest(HTTPRequestProperties.newBuilder().setRequestMethod(random.nextBoolean() ? RequestMethod.GET
                : RequestMethod.POST).setPath("/api/items/" + random.nextInt(100_000) + "?page=" + random.nextInt(9))
                .setAuthority("svc-" + self + ".ns-" + ns + ".svc.cluster.local:8080").setRequestHeadersBytes(420))
            .setResponse(HTTPResponseProperties.newBuilder().setResponseCode(UInt32Value.of(200))
                .setResponseCodeDetails("via_upstream").setResponseBodyBytes(1200 + random.nextInt(800)))
            .build());
      }
      StreamAccessLogsMessage.Builder msg = StreamAccessLogsMessage.newBuilder().setHttpLogs(entries);
      if (m == 0) {
        msg.setIdentifier(StreamAccessLogsMessage.Identifier.newBuilder().setNode(node).setLogName("bench"));
      }
      out.add(msg.build().toByteArray());
    }
    return out;
  }

  private static Address address(String ip, int port) {
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port)).build();
  }
}
