package io.meshwarden.cli;

import io.meshwarden.ingest.traffic.FlowReadException;
import io.meshwarden.ingest.traffic.Format;
import io.meshwarden.ingest.traffic.ReadSummary;
import io.meshwarden.ingest.traffic.TrafficLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.traffic.TrafficModel;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.TreeMap;

/** Loads flow files for the commands that take {@code --flows}, reporting what was skipped. */
final class TrafficSource {
  /** Flow input that cannot be used (a missing file, or a bad record under --strict). */
  static final class BadTrafficException extends Exception {
    private static final long serialVersionUID = 1L;

    BadTrafficException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @param err where to report skipped and unresolved records, or null to stay quiet
   * @throws IllegalArgumentException for an unknown format name
   */
  TrafficModel load(List<String> paths, String format, boolean strict, ClusterModel model, InputStream stdin,
      PrintWriter err) throws BadTrafficException {
    TrafficLoader.Result r;
    try {
      r = TrafficLoader.load(paths, model,
          TrafficLoader.Options.defaults().withFormat(Format.parse(format)).withStrict(strict).withStdin(stdin));
    } catch (FlowReadException e) {
      throw new BadTrafficException(e.getMessage(), e);
    }
    if (err != null) {
      report(err, r.summary(), r.traffic());
    }
    return r.traffic();
  }

  private static void report(PrintWriter err, ReadSummary s, TrafficModel t) {
    err.printf("info: %d flow records from %d file(s), %d observed edges%n", s.flows(), s.files(), t.edges().size());
    if (s.badRecordCount() > 0) {
      err.printf("warning: %d malformed flow record(s) skipped (--strict makes them fatal):%n", s.badRecordCount());
      s.badRecords().stream().limit(10).forEach(b -> err.println("  " + b));
      if (s.badRecordCount() > 10) {
        err.println("  ...");
      }
    }
    if (!s.skipped().isEmpty()) {
      err.println("info: records that are not flows: " + new TreeMap<>(s.skipped()));
    }
    long unresolved = t.unresolved().values().stream().mapToLong(Long::longValue).sum();
    if (unresolved > 0) {
      err.println("warning: " + unresolved + " flow(s) with an endpoint no workload matched (kept as external peers"
          + " or dropped, by reason): " + new TreeMap<>(t.unresolved()));
    }
  }

}
