package io.meshwarden.cli;

import io.meshwarden.xds.XdsBenchmark;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code meshwarden bench-xds}: one change pushed to N simulated sidecars over ADS. */
@Command(
    name = "bench-xds",
    mixinStandardHelpOptions = true,
    description = {
      "Open N ADS streams as simulated proxyless sidecars against the policy ADS server on loopback,",
      "change the served state once, and time its delivery to every stream (from the change signal,",
      "100 ms debounce included). Prints a Markdown table (the one in docs/benchmarks.md)."
    })
final class BenchXdsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--streams", split = ",", defaultValue = "1000,5000",
      description = "Streams per row (default: ${DEFAULT-VALUE}).")
  int[] streams;

  @Option(names = "--connections", defaultValue = "50", description = "HTTP/2 connections the streams share.")
  int connections;

  @Option(names = "--groups", defaultValue = "100", description = "Workload groups (snapshots) the streams belong to.")
  int groups;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.printf("cores=%d java=%s max-heap=%d MiB%n%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
    out.println("| streams | groups | connect all (s) | change p50 (ms) | p99 (ms) | max (ms) | heap/stream (KB) |");
    out.println("|---:|---:|---:|---:|---:|---:|---:|");
    out.flush();
    for (int n : streams) {
      XdsBenchmark.Result r = XdsBenchmark.run(new XdsBenchmark.Spec(n, connections, groups));
      out.printf("| %,d | %d | %.2f | %.0f | %.0f | %.0f | %.1f |%n", n, groups, r.connectNanos() / 1e9,
          XdsBenchmark.millis(r.percentile(50)), XdsBenchmark.millis(r.percentile(99)),
          XdsBenchmark.millis(r.percentile(100)), r.heapBytes() / 1024.0 / n);
      out.flush();
    }
    return ExitCodes.OK;
  }
}
