package io.meshwarden.serve;

import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.aggregate.Observation;
import io.meshwarden.ingest.traffic.FlowReadException;
import io.meshwarden.ingest.traffic.FlowReader;
import io.meshwarden.ingest.traffic.Format;
import io.meshwarden.ingest.traffic.ReadSummary;
import io.meshwarden.store.Flush;
import io.meshwarden.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Replays recorded flow files ({@code --flows}) into the aggregator at start. A file is known by
 * the SHA-256 of its content: one already ingested (recorded in the store in the same transaction
 * as its edges) is skipped, so restarting with the same arguments never counts it twice.
 */
final class FlowReplay {
  private static final int BATCH = 1024;

  private final LiveAggregator aggregator;
  private final Store store;
  private final Clock clock;
  private final PrintWriter err;

  FlowReplay(LiveAggregator aggregator, Store store, Clock clock, PrintWriter err) {
    this.aggregator = aggregator;
    this.store = store;
    this.clock = clock;
    this.err = err;
  }

  /** The regular files under the paths, in order (directories recursively, by name). */
  static List<Path> files(List<String> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (String p : paths) {
      Path path = Path.of(p);
      if (!Files.exists(path)) {
        throw new IOException(p + ": no such file or directory");
      }
      if (Files.isDirectory(path)) {
        try (Stream<Path> s = Files.walk(path)) {
          s.filter(Files::isRegularFile).sorted().forEach(out::add);
        }
      } else {
        out.add(path);
      }
    }
    return out;
  }

  /** Replays every file not ingested before; returns the flows replayed. */
  long replay(List<Path> files) throws IOException, FlowReadException, InterruptedException {
    long total = 0;
    for (Path f : files) {
      String sha = sha256(f);
      if (store.sourceIngested(sha)) {
        err.println("info: " + f + " was already ingested (same content); not counted again");
        continue;
      }
      List<Observation> batch = new ArrayList<>(BATCH);
      FlowReader reader = new FlowReader(Format.AUTO, false, InputStream.nullInputStream());
      ReadSummary summary;
      try (InputStream in = Files.newInputStream(f)) {
        summary = reader.read(f.toString(), in, flow -> {
          batch.add(Observation.replayed(flow));
          if (batch.size() == BATCH) {
            putQuietly(batch);
            batch.clear();
          }
        });
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      aggregator.put(List.copyOf(batch));
      aggregator.sourceDone(new Flush.IngestedSource(sha, f.toString(), summary.flows(), clock.millis()));
      err.printf("info: replayed %d flow record(s) from %s (%d malformed, skipped)%n", summary.flows(), f,
          summary.badRecordCount());
      total += summary.flows();
    }
    return total;
  }

  private void putQuietly(List<Observation> batch) {
    try {
      aggregator.put(List.copyOf(batch));
    } catch (InterruptedException e) {
      // Shutting down: the reader stops at the end of this line; the file is not marked ingested.
      Thread.currentThread().interrupt();
    }
  }

  private static String sha256(Path f) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
