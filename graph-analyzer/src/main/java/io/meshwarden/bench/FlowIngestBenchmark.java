package io.meshwarden.bench;

import io.meshwarden.ingest.traffic.FlowReadException;
import io.meshwarden.ingest.traffic.Format;
import io.meshwarden.ingest.traffic.TrafficLoader;
import io.meshwarden.model.ClusterModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Times flow ingestion (read, parse, resolve, aggregate) against the floor it is judged by: a bare
 * Jackson streaming parse of the same file that only walks the tokens. Both run in one JVM, one
 * after the other, on a file the first pass has pulled into the page cache.
 */
public final class FlowIngestBenchmark {
  /**
   * One measured run; times are the best of the repetitions, heap is what is live after a full GC.
   *
   * @param heapBeforeMb live heap before ingestion (cluster model loaded)
   * @param heapAfterMb live heap after ingestion, with the traffic model still referenced
   */
  public record Result(long lines, long bytes, long tokens, long bareNanos, long oursNanos, long flows, long skipped,
      long badRecords, int edges, long heapBeforeMb, long heapAfterMb) {

    public double bareMbPerSecond() {
      return bytes / 1e6 / (bareNanos / 1e9);
    }

    public double oursMbPerSecond() {
      return bytes / 1e6 / (oursNanos / 1e9);
    }

    public double bareLinesPerSecond() {
      return lines / (bareNanos / 1e9);
    }

    public double oursLinesPerSecond() {
      return lines / (oursNanos / 1e9);
    }

    /** Our throughput over the bare parser's; the goal is at least 0.5. */
    public double ratio() {
      return (double) bareNanos / oursNanos;
    }
  }

  private FlowIngestBenchmark() {}

  /** Runs both passes {@code repetitions} times (alternating, so drift hits both) and keeps the best of each. */
  public static Result run(Path file, ClusterModel model, Format format, int repetitions)
      throws IOException, FlowReadException {
    long bare = Long.MAX_VALUE;
    long ours = Long.MAX_VALUE;
    long tokens = 0;
    TrafficLoader.Result loaded = null;
    long heapBefore = liveHeapMb();
    for (int i = 0; i < Math.max(1, repetitions); i++) {
      long t0 = System.nanoTime();
      tokens = bareParse(file);
      bare = Math.min(bare, System.nanoTime() - t0);
      loaded = null;
      long t1 = System.nanoTime();
      loaded = TrafficLoader.load(List.of(file.toString()), model, TrafficLoader.Options.defaults().withFormat(format));
      ours = Math.min(ours, System.nanoTime() - t1);
    }
    long heapAfter = liveHeapMb();
    long skipped = loaded.summary().skipped().values().stream().mapToLong(Long::longValue).sum();
    return new Result(loaded.summary().lines(), loaded.summary().bytes(), tokens, bare, ours,
        loaded.summary().flows(), skipped, loaded.summary().badRecordCount(), loaded.traffic().edges().size(),
        heapBefore, heapAfter);
  }

  /** Every token of every value in the file, through one parser: the fastest Jackson can read it. */
  static long bareParse(Path file) throws IOException {
    JsonFactory factory = JsonFactory.builder().build();
    long tokens = 0;
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = factory.createParser(ObjectReadContext.empty(), in)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        tokens++;
        if (t == JsonToken.VALUE_STRING) {
          // Materialise strings as a consumer of the values would; skipping them is not parsing.
          p.getString();
        }
      }
    }
    return tokens;
  }

  private static long liveHeapMb() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return (rt.totalMemory() - rt.freeMemory()) >> 20;
  }
}
