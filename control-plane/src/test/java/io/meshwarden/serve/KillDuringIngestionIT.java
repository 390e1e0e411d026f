package io.meshwarden.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.meshwarden.als.AlsClient;
import io.meshwarden.als.AlsMessages;
import io.meshwarden.store.SqliteStore;
import io.meshwarden.store.StoredEdge;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} in a child JVM, killed with SIGKILL while a sidecar streams access logs into it:
 * the store must open, pass SQLite's integrity check, hold what was flushed, and a restart on the
 * same directory must serve it.
 */
class KillDuringIngestionIT {
  private static final Pattern LISTENING = Pattern.compile("^(xds|als|http) listening on (?:http://)?127\\.0\\.0\\.1:(\\d+)$");

  private record Child(Process process, Map<String, Integer> ports) {}

  private static Child serve(Path state) throws Exception {
    return serve(state, "1");
  }

  private static Child serve(Path state, String flushSeconds) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.meshwarden.Main", "serve", "--insecure",
        "--manifests", ServeEndToEndIT.MANIFESTS.get(0), "--manifests", ServeEndToEndIT.MANIFESTS.get(1),
        "--state-dir", state.toString(), "--xds-port", "0", "--als-port", "0", "--http-port", "0",
        "--flush-interval", flushSeconds));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Map<String, Integer> ports = new HashMap<>();
    while (ports.size() < 3) {
      String line = out.readLine();
      if (line == null) {
        throw new AssertionError("serve exited before listening: " + p.waitFor());
      }
      Matcher m = LISTENING.matcher(line);
      if (m.matches()) {
        ports.put(m.group(1), Integer.parseInt(m.group(2)));
      }
    }
    HttpClient http = HttpClient.newHttpClient();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get("http")
          + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return new Child(p, ports);
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new AssertionError("serve never became ready");
  }

  private static long metric(Child c, String name) throws Exception {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + c.ports().get("http") + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(body);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  @Test
  void killMinus9DuringIngestionLeavesAReadableStoreThatARestartServes(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("state");
    Child child = serve(state);
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", child.ports().get("als")).usePlaintext().build();
    long accepted;
    try {
      StreamObserver<StreamAccessLogsMessage> stream = AlsClient.open(ch);
      List<HTTPAccessLogEntry> entries = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        entries.add(AlsMessages.http("10.8.0.12", 7070, "10.8.0.10", "spiffe://cluster.local/ns/default/sa/frontend",
            "POST", "/hipstershop.CartService/Item" + (i % 10), 200, Instant.now()));
      }
      stream.onNext(AlsMessages.message(AlsMessages.node("default", "cartservice-6b9d7c8f5-q2z", "cartservice",
          "10.8.0.12"), entries, List.of()));
      StreamAccessLogsMessage more = AlsMessages.message(null, entries, List.of());
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      // Keep streaming until at least two flushes wrote edges, then kill in the middle of it.
      while (metric(child, "meshwarden_store_flushes_total") < 2 && System.nanoTime() < end) {
        for (int i = 0; i < 20; i++) {
          stream.onNext(more);
        }
        Thread.sleep(20);
      }
      for (int i = 0; i < 50; i++) {
        stream.onNext(more);
      }
      accepted = metric(child, "meshwarden_als_entries_total");
      child.process().destroyForcibly();
      assertTrue(child.process().waitFor(10, TimeUnit.SECONDS));
      assertEquals(137, child.process().exitValue(), "killed by SIGKILL, no shutdown hook ran");
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    long stored;
    try (SqliteStore store = SqliteStore.open(state)) { // runs PRAGMA quick_check
      List<StoredEdge> edges = store.loadEdges();
      assertEquals(10, edges.size(), "ten routes from frontend to cartservice");
      stored = edges.stream().mapToLong(StoredEdge::count).sum();
      assertTrue(stored >= 100 && stored <= accepted + 100_000, "flushed " + stored + " of ~" + accepted);
      assertEquals(stored, edges.stream().flatMap(e -> e.buckets().stream()).mapToLong(StoredEdge.Bucket::count).sum(),
          "buckets and totals were written in the same transaction");
    }
    Child again = serve(state);
    try {
      String graph = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + again.ports().get("http") + "/api/v1/graph")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(graph.contains("\"source\":\"default/frontend[Deployment]\",\"target\":\"default/cartservice[Deployment]\""
          + ",\"protocol\":\"TCP\",\"port\":7070,\"observed\":{\"count\":" + stored + ","), graph);
    } finally {
      again.process().destroy();
      assertTrue(again.process().waitFor(10, TimeUnit.SECONDS), "SIGTERM stops serve within 10 s");
    }
  }

  @Test
  void sigtermFlushesWhatWasLearnedSinceTheLastFlush(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("state");
    Child child = serve(state, "3600"); // no periodic flush during the test: only SIGTERM's
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", child.ports().get("als")).usePlaintext().build();
    try {
      StreamObserver<StreamAccessLogsMessage> stream = AlsClient.open(ch);
      stream.onNext(AlsMessages.message(AlsMessages.node("default", "cartservice-6b9d7c8f5-q2z", "cartservice",
          "10.8.0.12"), List.of(AlsMessages.http("10.8.0.12", 7070, "10.8.0.10",
          "spiffe://cluster.local/ns/default/sa/frontend", "POST", "/hipstershop.CartService/AddItem", 200,
          Instant.now())), List.of()));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (metric(child, "meshwarden_als_entries_total") < 1 && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      assertEquals(1, metric(child, "meshwarden_als_entries_total"));
      assertEquals(0, metric(child, "meshwarden_store_flushes_total"));
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    long t0 = System.nanoTime();
    child.process().destroy();
    assertTrue(child.process().waitFor(10, TimeUnit.SECONDS), "SIGTERM stops serve within 10 s");
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
    try (SqliteStore store = SqliteStore.open(state)) {
      assertEquals(1, store.loadEdges().stream().mapToLong(StoredEdge::count).sum());
    }
  }
}
