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
import io.envoyproxy.envoy.data.accesslog.v3.ConnectionProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TLSProperties;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.meshwarden.aggregate.IngestCounters;
import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.aggregate.TrafficView;
import io.meshwarden.als.AlsService;
import io.meshwarden.bench.IndexBenchmark;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.store.SqliteStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * What {@code serve} keeps in memory for a large cluster and what it learned about it: the live
 * index of a synthetic cluster (IndexBenchmark's, object by object as informers apply it), then
 * distinct edges learned through the real ALS path (gRPC on loopback, {@link AlsService}, the
 * aggregator's queue and writer, SQLite flushes) from one sidecar stream per destination workload.
 * Retained heap is read after repeated full collections, before and after each stage, so the index,
 * the learned edges and the graph view built from them are reported apart.
 */
public final class HeapBenchmark {

  /**
   * @param edges distinct (source, destination, port) edges to learn, spread evenly over the
   *     workloads as destinations
   * @param hours distinct hours each edge is seen in (hourly buckets kept per edge, at most the
   *     30-day retention)
   * @param httpShare the share of destination workloads that serve HTTP (the rest plain TCP)
   */
  public record Spec(int workloads, int namespaces, long edges, int hours, double httpShare, int streams,
      long seed) {
    public Spec {
      if (workloads < 2 || namespaces < 1 || edges < 1 || streams < 1) {
        throw new IllegalArgumentException("at least two workloads, one namespace, one edge and one stream");
      }
      if (hours < 1 || hours > 720) {
        throw new IllegalArgumentException("--hours must be between 1 and 720 (30 days of retention)");
      }
      if (httpShare < 0 || httpShare > 1) {
        throw new IllegalArgumentException("--http-share must be between 0 and 1");
      }
      if (edges > (long) workloads * (workloads - 1)) {
        throw new IllegalArgumentException(workloads + " workloads have at most " + (long) workloads * (workloads - 1)
            + " distinct pairs");
      }
    }

    int perDestination() {
      return (int) ((edges + workloads - 1) / workloads);
    }
  }

  /** Bytes are retained heap after full collections. */
  public record Result(Spec spec, int objects, long indexBytes, long edges, long entries, long accepted,
      long refused, long dropped, long edgeBytes, long viewBytes, Duration ingest) {
    public double bytesPerEdge() {
      return edgeBytes / (double) Math.max(1, edges);
    }

    public double viewBytesPerEdge() {
      return viewBytes / (double) Math.max(1, edges);
    }
  }

  private HeapBenchmark() {}

  public static Result run(Spec spec, Path stateDir) throws Exception {
    IndexBenchmark.Spec cluster = new IndexBenchmark.Spec(spec.workloads(), spec.namespaces(), 3, 20, 1, spec.seed());
    long base = retainedHeap();
    LiveIndex index = new LiveIndex(LiveIndex.Options.defaults());
    int objects = IndexBenchmark.load(index, cluster);
    ClusterSnapshot snapshot = index.flush().get(5, TimeUnit.MINUTES);
    long withIndex = retainedHeap();

    Files.createDirectories(stateDir);
    IngestCounters counters = new IngestCounters();
    SqliteStore store = SqliteStore.open(stateDir);
    LiveAggregator aggregator = new LiveAggregator(store, new LiveAggregator.Settings(1 << 20, Duration.ofDays(30),
        Duration.ofSeconds(2), Clock.systemUTC()), counters);
    aggregator.snapshot(snapshot);
    aggregator.start();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new AlsService(aggregator, counters, Clock.systemUTC(), "cluster.local", () -> true)).build()
        .start();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
        .flowControlWindow(1 << 20).build();
    try {
      // One entry first, so that what the aggregator derives once per cluster state (its resolver)
      // and the gRPC machinery are in the baseline and the difference is the edges alone.
      Instant now = Instant.now();
      // Workload 0 calling itself: the main run's pairs never do, so this edge stays apart.
      stream(channel, List.of(message(spec, cluster, 0, spec.workloads() - 1, 1, now, true)));
      await(counters, 1);
      aggregator.flush().get(1, TimeUnit.MINUTES);
      long accepted0 = counters.accepted();
      long warm = retainedHeap();

      long sent = 1;
      long t0 = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      List<Thread> senders = new ArrayList<>();
      long[] perSender = new long[spec.streams()];
      for (int t = 0; t < spec.streams(); t++) {
        int me = t;
        Thread th = new Thread(() -> {
          try {
            for (int d; (d = next.getAndIncrement()) < spec.workloads(); ) {
              List<StreamAccessLogsMessage> messages = messages(spec, cluster, d, now);
              perSender[me] += messages.stream().mapToLong(HeapBenchmark::entries).sum();
              stream(channel, messages);
            }
          } catch (Throwable e) {
            failed.compareAndSet(null, e);
          }
        }, "bench-sidecar-" + t);
        th.start();
        senders.add(th);
      }
      for (Thread th : senders) {
        th.join();
      }
      if (failed.get() != null) {
        throw new IllegalStateException("a sidecar stream failed", failed.get());
      }
      for (long n : perSender) {
        sent += n;
      }
      await(counters, sent);
      aggregator.flush().get(10, TimeUnit.MINUTES);
      Duration ingest = Duration.ofNanos(System.nanoTime() - t0);
      long withEdges = retainedHeap();

      TrafficView view = aggregator.view().get(10, TimeUnit.MINUTES);
      long withView = retainedHeap();
      long edges = view.traffic().edges().size();
      long expected = Math.min(spec.edges(), (long) spec.perDestination() * spec.workloads());
      if (edges != expected + 1 || counters.accepted() - accepted0 != sent - 1) {
        throw new IllegalStateException("expected " + expected + " edges from " + (sent - 1) + " entries, learned "
            + (edges - 1) + " edges from " + (counters.accepted() - accepted0) + " accepted, refused "
            + counters.refusedByReason() + ", dropped " + counters.dropped() + ", unresolved " + counters.unresolved());
      }
      return new Result(spec, objects, withIndex - base, edges - 1, sent - 1, counters.accepted() - accepted0,
          counters.refused(), counters.dropped(), withEdges - warm, withView - withEdges, ingest);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      aggregator.close();
      store.close();
      index.close();
    }
  }

  /** Used heap after full collections, once it stops shrinking. */
  static long retainedHeap() throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (used >= best) {
        return best;
      }
      best = used;
    }
    return best;
  }

  private static void await(IngestCounters c, long sent) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (c.accepted() + c.refused() + c.dropped() + c.unresolved() < sent) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the aggregator did not take every entry");
      }
      Thread.sleep(5);
    }
  }

  private static long entries(StreamAccessLogsMessage m) {
    return m.hasHttpLogs() ? m.getHttpLogs().getLogEntryCount() : m.getTcpLogs().getLogEntryCount();
  }

  /** Destination workload {@code d}'s sidecar: each of its edges seen once in each of {@code hours} hours. */
  private static List<StreamAccessLogsMessage> messages(Spec spec, IndexBenchmark.Spec cluster, int d, Instant now) {
    List<StreamAccessLogsMessage> out = new ArrayList<>();
    long first = (long) d * spec.perDestination();
    int n = (int) Math.max(0, Math.min(spec.perDestination(), spec.edges() - first));
    int perMessage = 100;
    for (int h = 0; h < spec.hours(); h++) {
      for (int k = 0; k < n; k += perMessage) {
        out.add(message(spec, cluster, d, k, Math.min(perMessage, n - k), now.minusSeconds(3600L * h), out.isEmpty()));
      }
    }
    return out;
  }

  /**
   * Entries {@code from .. from + count} of destination {@code d}: edge k comes from workload
   * {@code d + 1 + k} (so every pair is distinct), by mTLS with its SPIFFE id, on port 8080. A
   * destination serves HTTP or plain TCP (its sidecar logs one kind), chosen by its number.
   */
  private static StreamAccessLogsMessage message(Spec spec, IndexBenchmark.Spec cluster, int d, int from, int count,
      Instant at, boolean first) {
    boolean isHttp = Math.floorMod(d * 0x9E3779B97F4A7C15L, 1000) < spec.httpShare() * 1000;
    StreamAccessLogsMessage.HTTPAccessLogEntries.Builder http = StreamAccessLogsMessage.HTTPAccessLogEntries
        .newBuilder();
    StreamAccessLogsMessage.TCPAccessLogEntries.Builder tcp = StreamAccessLogsMessage.TCPAccessLogEntries.newBuilder();
    for (int k = from; k < from + count; k++) {
      int s = (d + 1 + k) % spec.workloads();
      AccessLogCommon.Builder common = AccessLogCommon.newBuilder()
          .setDownstreamLocalAddress(address(IndexBenchmark.podIp(d, 0), 8080))
          .setDownstreamRemoteAddress(address(IndexBenchmark.podIp(s, 0), 40000 + k % 20000))
          .setTlsProperties(TLSProperties.newBuilder().setPeerCertificateProperties(
              TLSProperties.CertificateProperties.newBuilder().addSubjectAltName(
                  TLSProperties.CertificateProperties.SubjectAltName.newBuilder().setUri("spiffe://cluster.local/ns/"
                      + IndexBenchmark.namespaceOf(cluster, s) + "/sa/" + IndexBenchmark.serviceAccount(s)))))
          .setStartTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond() - k % 60))
          .setUpstreamCluster("inbound|8080||");
      if (isHttp) {
        http.addLogEntry(HTTPAccessLogEntry.newBuilder()
            .setCommonProperties(common.setAccessLogType(AccessLogType.DownstreamEnd))
            .setRequest(HTTPRequestProperties.newBuilder().setRequestMethod(RequestMethod.GET)
                .setPath("/api/v1/items/" + (k * 7919 % 100_000)).setAuthority("app-" + d + ":8080")
                .setRequestHeadersBytes(420))
            .setResponse(HTTPResponseProperties.newBuilder().setResponseCode(UInt32Value.of(200))
                .setResponseCodeDetails("via_upstream").setResponseBodyBytes(1500)));
      } else {
        tcp.addLogEntry(TCPAccessLogEntry.newBuilder()
            .setCommonProperties(common.setAccessLogType(AccessLogType.TcpConnectionEnd))
            .setConnectionProperties(ConnectionProperties.newBuilder().setReceivedBytes(900).setSentBytes(4000)));
      }
    }
    StreamAccessLogsMessage.Builder m = StreamAccessLogsMessage.newBuilder();
    if (first) {
      m.setIdentifier(StreamAccessLogsMessage.Identifier.newBuilder().setNode(node(cluster, d)).setLogName("bench"));
    }
    return isHttp ? m.setHttpLogs(http).build() : m.setTcpLogs(tcp).build();
  }

  private static Node node(IndexBenchmark.Spec cluster, int d) {
    String ns = IndexBenchmark.namespaceOf(cluster, d);
    String pod = IndexBenchmark.podName(d, 0);
    return Node.newBuilder().setId("sidecar~" + IndexBenchmark.podIp(d, 0) + "~" + pod + "." + ns + "~" + ns
        + ".svc.cluster.local").setMetadata(Struct.newBuilder()
            .putFields("NAMESPACE", Value.newBuilder().setStringValue(ns).build())
            .putFields("NAME", Value.newBuilder().setStringValue(pod).build())
            .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue(IndexBenchmark.serviceAccount(d)).build()))
        .build();
  }

  private static Address address(String ip, int port) {
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port)).build();
  }

  /** One sidecar stream: sends the messages as flow control allows, then waits for the server to close it. */
  private static void stream(ManagedChannel channel, List<StreamAccessLogsMessage> messages) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<Throwable> error = new AtomicReference<>();
    Object ready = new Object();
    AtomicReference<ClientCallStreamObserver<StreamAccessLogsMessage>> requests = new AtomicReference<>();
    AccessLogServiceGrpc.newStub(channel).streamAccessLogs(
        new ClientResponseObserver<StreamAccessLogsMessage, StreamAccessLogsResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<StreamAccessLogsMessage> r) {
            requests.set(r);
            r.setOnReadyHandler(() -> {
              synchronized (ready) {
                ready.notifyAll();
              }
            });
          }

          @Override
          public void onNext(StreamAccessLogsResponse value) {}

          @Override
          public void onError(Throwable t) {
            error.set(t);
            done.countDown();
          }

          @Override
          public void onCompleted() {
            done.countDown();
          }
        });
    ClientCallStreamObserver<StreamAccessLogsMessage> r = requests.get();
    for (StreamAccessLogsMessage m : messages) {
      synchronized (ready) {
        while (!r.isReady() && done.getCount() > 0) {
          ready.wait(10);
        }
      }
      r.onNext(m);
    }
    r.onCompleted();
    if (!done.await(10, TimeUnit.MINUTES) || error.get() != null) {
      throw new IllegalStateException("the ALS stream did not end cleanly", error.get());
    }
  }

  /** Deletes a benchmark's state directory. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
