package io.meshwarden.ingest.traffic;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.traffic.IdentityResolver;
import io.meshwarden.traffic.TrafficAggregator;
import io.meshwarden.traffic.TrafficModel;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * The one call from flow files to a {@link TrafficModel}: read, resolve against the cluster model,
 * aggregate, all in one streaming pass. It lives with the readers (not in {@code traffic}) so that
 * dependencies point one way, sources → state.
 */
public final class TrafficLoader {
  private TrafficLoader() {}

  /**
   * @param format {@link Format#AUTO} to detect per file
   * @param strict whether the first bad record is fatal
   * @param stdin what {@code -} reads
   * @param maxLineBytes longer lines are bad records
   * @param maxPathsPerPair see {@link TrafficAggregator#TrafficAggregator(IdentityResolver, int)}
   */
  public record Options(Format format, boolean strict, InputStream stdin, int maxLineBytes, int maxPathsPerPair) {
    public Options {
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(stdin, "stdin");
    }

    public static Options defaults() {
      return new Options(Format.AUTO, false, System.in, LineReader.DEFAULT_MAX_LINE,
          TrafficAggregator.DEFAULT_MAX_PATHS_PER_PAIR);
    }

    public Options withFormat(Format f) {
      return new Options(f, strict, stdin, maxLineBytes, maxPathsPerPair);
    }

    public Options withStrict(boolean s) {
      return new Options(format, s, stdin, maxLineBytes, maxPathsPerPair);
    }

    public Options withStdin(InputStream in) {
      return new Options(format, strict, in, maxLineBytes, maxPathsPerPair);
    }
  }

  /** The aggregated traffic and the reader's account of the input (including skipped records). */
  public record Result(TrafficModel traffic, ReadSummary summary) {
    public Result {
      Objects.requireNonNull(traffic, "traffic");
      Objects.requireNonNull(summary, "summary");
    }
  }

  public static Result load(List<String> paths, ClusterModel model, Options options) throws FlowReadException {
    TrafficAggregator aggregator = new TrafficAggregator(IdentityResolver.of(model), options.maxPathsPerPair());
    FlowReader reader = new FlowReader(options.format(), options.strict(), options.stdin(), options.maxLineBytes());
    ReadSummary summary = reader.read(paths, aggregator);
    return new Result(aggregator.build(summary.badRecords(), summary.badRecordCount(), summary.inputs()), summary);
  }
}
