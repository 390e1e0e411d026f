package io.meshwarden.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the serve tests send and read over a running serve's HTTP port: API calls, counters of /metrics. */
final class ServeHttp {
  // One client for the tests of this package; it is thread-safe and keeps no state a test could see.
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ServeHttp() {}

  static HttpResponse<String> get(ServeRuntime rt, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(ServeRuntime rt, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of {@code name} in /metrics; fails when serve does not export it. */
  static long metric(ServeRuntime rt, String name) throws Exception {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(get(rt, "/metrics").body());
    assertTrue(m.find(), name + " in /metrics");
    return Long.parseLong(m.group(1));
  }

  /** Waits (10 s at most) until the counter {@code name} reached {@code value}, and fails unless it is exactly that. */
  static void awaitMetric(ServeRuntime rt, String name, long value) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (metric(rt, name) < value && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertEquals(value, metric(rt, name), name);
  }
}
