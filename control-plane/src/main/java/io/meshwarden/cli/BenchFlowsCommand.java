package io.meshwarden.cli;

import io.meshwarden.bench.FlowIngestBenchmark;
import io.meshwarden.bench.SyntheticFlows;
import io.meshwarden.ingest.traffic.FlowReadException;
import io.meshwarden.ingest.traffic.Format;
import io.meshwarden.model.ClusterModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code meshwarden bench-flows}: flow ingestion throughput against a bare Jackson parse of the same file. */
@Command(
    name = "bench-flows",
    mixinStandardHelpOptions = true,
    description =
          "Write a synthetic flow log (Envoy JSON or Hubble JSON) for a synthetic cluster, then "
          + "time, in one JVM, a bare Jackson streaming parse of the file and meshwarden's ingestion "
          + "of it (parse, resolve to workloads, aggregate into edges). Prints a Markdown table (the "
          + "one in docs/benchmarks.md).")
final class BenchFlowsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--lines", defaultValue = "1000000", description = "Lines to generate (default: ${DEFAULT-VALUE}).")
  long lines;

  @Option(names = "--format", defaultValue = "hubble", description = "The flow format: envoy-json or hubble (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--file", description = "Where to write the flow log (default: a temporary file, deleted after).")
  Path file;

  @Option(names = "--keep", description = "Reuse --file if it exists instead of generating it again.")
  boolean keep;

  @Option(names = "--namespaces", defaultValue = "10", description = "Namespaces of the synthetic cluster.")
  int namespaces;

  @Option(names = "--workloads-per-namespace", defaultValue = "20", description = "Deployments per namespace.")
  int workloadsPerNamespace;

  @Option(names = "--repetitions", defaultValue = "1", description = "Timed runs of each pass; the best is kept.")
  int repetitions;

  @Option(names = "--seed", defaultValue = "42", description = "Generator seed.")
  long seed;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SyntheticFlows.Spec s;
    try {
      s = new SyntheticFlows.Spec(lines, Format.parse(format), namespaces, workloadsPerNamespace, seed);
    } catch (IllegalArgumentException e) {
      err.println("meshwarden bench-flows: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    boolean temporary = file == null;
    Path path = temporary ? Files.createTempFile("meshwarden-flows-", ".json") : file;
    try {
      if (!(keep && Files.exists(path) && Files.size(path) > 0)) {
        long t0 = System.nanoTime();
        SyntheticFlows.write(s, path);
        err.printf("wrote %d lines, %d MB to %s in %.1f s%n", lines, Files.size(path) >> 20, path,
            (System.nanoTime() - t0) / 1e9);
        err.flush();
      }
      ClusterModel model = SyntheticFlows.cluster(s);
      FlowIngestBenchmark.Result r = FlowIngestBenchmark.run(path, model, s.format(), repetitions);
      Runtime rt = Runtime.getRuntime();
      out.printf("cores=%d maxHeap=%dMB java=%s format=%s workloads=%d%n%n", rt.availableProcessors(),
          rt.maxMemory() >> 20, System.getProperty("java.version"), format, model.workloads().size());
      out.println("| lines | MB | bare Jackson MB/s | bare Jackson lines/s | ours MB/s | ours lines/s | ratio |"
          + " flows | skipped | bad | edges | heap before MB | heap after MB |");
      out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      out.printf("| %d | %d | %.0f | %.0f | %.0f | %.0f | %.2f | %d | %d | %d | %d | %d | %d |%n", r.lines(),
          r.bytes() / 1_000_000, r.bareMbPerSecond(), r.bareLinesPerSecond(), r.oursMbPerSecond(),
          r.oursLinesPerSecond(), r.ratio(), r.flows(), r.skipped(), r.badRecords(), r.edges(), r.heapBeforeMb(),
          r.heapAfterMb());
      out.flush();
      return ExitCodes.OK;
    } catch (FlowReadException e) {
      err.println("meshwarden bench-flows: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } finally {
      if (temporary) {
        Files.deleteIfExists(path);
      }
    }
  }
}
