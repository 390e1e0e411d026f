package io.meshwarden.cli;

import io.meshwarden.sidecar.GenerationBenchmark;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code meshwarden bench-generate}: policy generation and validation on synthetic traffic. */
@Command(
    name = "bench-generate",
    mixinStandardHelpOptions = true,
    description =
          "Time least-privilege generation on synthetic clusters: synthesis from aggregated edges, "
          + "Envoy translation and validation of every workload. Sizes run in one JVM, one after the "
          + "other.")
final class BenchGenerateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--sizes", split = ",", paramLabel = "WORKLOADSxEDGES",
      defaultValue = "1000x100000,5000x500000,10000x1000000", description = "Sizes (default: ${DEFAULT-VALUE}).")
  List<String> sizes = new ArrayList<>();

  @Option(names = "--http-share", defaultValue = "0.5", description = "Share of edges with HTTP method and path.")
  double httpShare;

  @Option(names = "--seed", defaultValue = "7", description = "Generator seed.")
  long seed;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Runtime rt = Runtime.getRuntime();
    out.printf("cores=%d maxHeap=%dMB java=%s%n%n", rt.availableProcessors(), rt.maxMemory() >> 20,
        System.getProperty("java.version"));
    out.println("| workloads | edges | rules | synthesize ms | translate ms | validate ms | total ms | invalid | heap MB |");
    out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    out.flush();
    for (String s : sizes) {
      String[] p = s.toLowerCase(java.util.Locale.ROOT).split("x");
      int workloads;
      int edges;
      try {
        workloads = Integer.parseInt(p[0]);
        edges = Integer.parseInt(p[1]);
      } catch (RuntimeException e) {
        spec.commandLine().getErr().println("meshwarden bench-generate: size \"" + s + "\" is not WORKLOADSxEDGES");
        return ExitCodes.USAGE;
      }
      GenerationBenchmark.Result r = GenerationBenchmark.run(workloads, edges, httpShare, seed);
      out.printf("| %d | %d | %d | %d | %d | %d | %d | %d | %d |%n", r.workloads(), r.edges(), r.rules(),
          r.synthesizeMillis(), r.translateMillis(), r.validateMillis(), r.totalMillis(), r.invalid(), r.heapUsedMb());
      out.flush();
    }
    return ExitCodes.OK;
  }
}
