package io.meshwarden.ingest.traffic;

import io.meshwarden.model.Origin;
import io.meshwarden.traffic.InputSummary;
import io.meshwarden.traffic.ObservedFlow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Streams flow records (Envoy JSON or text access logs, Hubble JSON) from files, directories or
 * {@code -} (stdin) into a consumer, in constant memory. Gzip input is recognised by its magic
 * bytes. A record that cannot be parsed is counted and reported with file and line, and the run
 * goes on; in strict mode the first one ends it. Not thread-safe: one reader per run.
 */
public final class FlowReader {
  /** How many bad records the summary lists by file and line; the rest are only counted. */
  public static final int MAX_REPORTED_BAD_RECORDS = 100;

  private final Format format;
  private final boolean strict;
  private final InputStream stdin;
  private final int maxLineBytes;
  private final Map<Format, LineParser> parsers = new EnumMap<>(Format.class);
  private final List<String> badRecords = new ArrayList<>();
  private final List<InputSummary> inputs = new ArrayList<>();
  private final Map<String, Long> skipped = new TreeMap<>();
  /** The first bad lines of the current file, kept to tell which format would have read them. */
  private final List<byte[]> samples = new ArrayList<>();
  private long badRecordCount;
  private long lines;
  private long bytes;
  private long flows;
  private int files;

  /**
   * @param format the format of every input, or {@link Format#AUTO} to detect it per file
   * @param strict whether the first bad record is fatal
   * @param stdin what {@code -} reads
   * @param maxLineBytes longer lines are reported as bad without being buffered
   */
  public FlowReader(Format format, boolean strict, InputStream stdin, int maxLineBytes) {
    this.format = Objects.requireNonNull(format, "format");
    this.strict = strict;
    this.stdin = Objects.requireNonNull(stdin, "stdin");
    if (maxLineBytes < 64) {
      throw new IllegalArgumentException("maxLineBytes must be at least 64");
    }
    this.maxLineBytes = maxLineBytes;
  }

  public FlowReader(Format format, boolean strict, InputStream stdin) {
    this(format, strict, stdin, LineReader.DEFAULT_MAX_LINE);
  }

  /** Reads every path with a new reader; {@code -} is {@link System#in}. */
  public static ReadSummary read(List<String> paths, Format format, boolean strict, Consumer<ObservedFlow> sink)
      throws FlowReadException {
    return new FlowReader(format, strict, System.in).read(paths, sink);
  }

  /** Reads every path in order (directories recursively, sorted by name), handing each flow to {@code sink}. */
  public ReadSummary read(List<String> paths, Consumer<ObservedFlow> sink) throws FlowReadException {
    for (String p : paths) {
      if ("-".equals(p)) {
        readStream("<stdin>", stdin, sink);
        continue;
      }
      Path path = Path.of(p);
      if (!Files.exists(path)) {
        throw new FlowReadException(new Origin(p, 0), "path does not exist");
      }
      for (Path f : files(path)) {
        try (InputStream in = Files.newInputStream(f)) {
          readStream(f.toString(), in, sink);
        } catch (IOException e) {
          throw new FlowReadException(new Origin(f.toString(), 0), "cannot read file: " + e.getMessage(), e);
        }
      }
    }
    return summary();
  }

  /** Reads one stream (for tests, and for a live source that hands over its own stream). */
  public ReadSummary read(String name, InputStream in, Consumer<ObservedFlow> sink) throws FlowReadException {
    readStream(name, in, sink);
    return summary();
  }

  public ReadSummary summary() {
    return new ReadSummary(files, lines, bytes, flows, badRecords, badRecordCount, skipped, inputs);
  }

  private static List<Path> files(Path path) throws FlowReadException {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> s = Files.walk(path)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      throw new FlowReadException(new Origin(path.toString(), 0), "cannot list directory: " + e.getMessage(), e);
    }
  }

  private void readStream(String name, InputStream raw, Consumer<ObservedFlow> sink) throws FlowReadException {
    files++;
    long linesBefore = lines;
    long flowsBefore = flows;
    long badBefore = badRecordCount;
    samples.clear();
    Line line = new Line();
    line.file = name;
    Format fileFormat = format == Format.AUTO ? null : format;
    Sink recordSink = new Sink(sink);
    LineReader reader = null;
    try {
      reader = new LineReader(LineReader.decompressing(raw), maxLineBytes);
      LineReader.Status status;
      while ((status = reader.next(line)) != LineReader.Status.EOF) {
        if (status == LineReader.Status.TOO_LONG) {
          lines++;
          bad(line, "line longer than " + maxLineBytes + " bytes");
          continue;
        }
        if (line.firstNonBlank() < 0) {
          continue;
        }
        lines++;
        if (fileFormat == null) {
          fileFormat = FormatDetector.detect(line);
          if (fileFormat == null) {
            bad(line, "not a flow record in any known format (Envoy JSON or text access log, Hubble JSON)");
            continue;
          }
        }
        try {
          parser(fileFormat).parse(line, recordSink);
        } catch (BadRecord e) {
          bad(line, status == LineReader.Status.UNTERMINATED
              ? e.getMessage() + " (last line has no newline: truncated?)" : e.getMessage());
        }
      }
    } catch (IOException e) {
      // A corrupt or cut-off gzip stream: what was read stands, the rest of the file is one bad record.
      line.number++;
      bad(line, "cannot read further: " + e.getMessage());
    } finally {
      if (reader != null) {
        bytes += reader.bytes();
      }
    }
    long fileFlows = flows - flowsBefore;
    long fileBad = badRecordCount - badBefore;
    inputs.add(new InputSummary(name, lines - linesBefore, fileFlows, fileBad,
        fileFlows == 0 && fileBad > 0 ? FormatHint.of(samples, fileFormat) : null));
  }

  private LineParser parser(Format f) {
    return parsers.computeIfAbsent(f, k -> switch (k) {
      case ENVOY_JSON -> new EnvoyJsonParser();
      case ENVOY_TEXT -> new EnvoyTextParser();
      case HUBBLE_JSON -> new HubbleJsonParser();
      case AUTO -> throw new IllegalStateException("AUTO is resolved per file");
    });
  }

  private void bad(Line line, String reason) throws FlowReadException {
    badRecordCount++;
    if (samples.size() < FormatHint.SAMPLES && line.len > 0) {
      samples.add(java.util.Arrays.copyOfRange(line.buf, line.off, line.off + line.len));
    }
    if (strict) {
      throw new FlowReadException(line.origin(), reason);
    }
    if (badRecords.size() < MAX_REPORTED_BAD_RECORDS) {
      badRecords.add(line.origin() + ": " + reason);
    }
  }

  /** Counts what the parsers hand over on the way to the caller's consumer. */
  private final class Sink implements RecordSink {
    private final Consumer<ObservedFlow> consumer;

    Sink(Consumer<ObservedFlow> consumer) {
      this.consumer = consumer;
    }

    @Override
    public void flow(ObservedFlow flow) {
      flows++;
      consumer.accept(flow);
    }

    @Override
    public void skip(String reason) {
      skipped.merge(reason, 1L, Long::sum);
    }
  }
}
