package io.meshwarden.cli;

import io.meshwarden.bench.ConnectivityBenchmark;
import io.meshwarden.bench.SyntheticCluster;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code meshwarden bench}: measures the analysis stages on synthetic clusters, side by side. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
          "Generate synthetic clusters and time connectivity analysis on them. Sizes run in one "
          + "JVM, one after the other, so ratios between rows are comparable; absolute times depend "
          + "on the machine. Prints a Markdown table (the one in docs/benchmarks.md).")
final class BenchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--sizes", split = ",", paramLabel = "WORKLOADSxPOLICIES",
      defaultValue = "1000x200,2500x500,5000x1000,10000x2000,10000x500,10000x4000",
      description = "Cluster sizes to run (default: ${DEFAULT-VALUE}).")
  List<String> sizes = new ArrayList<>();

  @Option(names = "--namespaces", defaultValue = "100", description = "Namespaces per cluster (default: ${DEFAULT-VALUE}).")
  int namespaces;

  @Option(names = "--replica-share", defaultValue = "0.3",
      description = "Share of workloads that are label-identical twins of another (default: ${DEFAULT-VALUE}).")
  double replicaShare;

  @Option(names = "--repetitions", defaultValue = "2", description = "Timed runs per size after a warm-up; the best is kept.")
  int repetitions;

  @Option(names = "--seed", defaultValue = "42", description = "Generator seed.")
  long seed;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<SyntheticCluster.Spec> specs = new ArrayList<>();
    try {
      for (String s : sizes) {
        String[] p = s.toLowerCase(java.util.Locale.ROOT).split("x");
        if (p.length != 2) {
          throw new IllegalArgumentException("size \"" + s + "\" is not WORKLOADSxPOLICIES");
        }
        specs.add(new SyntheticCluster.Spec(namespaces, Integer.parseInt(p[0]), Integer.parseInt(p[1]), replicaShare,
            seed));
      }
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("meshwarden bench: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Runtime rt = Runtime.getRuntime();
    out.printf("cores=%d maxHeap=%dMB java=%s%n%n", rt.availableProcessors(), rt.maxMemory() >> 20,
        System.getProperty("java.version"));
    out.println("| workloads | policies | classes | workload pairs | allowed connections | compile ms | evaluate ms | total ms | heap MB |");
    out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    out.flush();
    for (SyntheticCluster.Spec s : specs) {
      ConnectivityBenchmark.Result r = ConnectivityBenchmark.run(s, repetitions);
      out.printf("| %d | %d | %d | %d | %d | %d | %d | %d | %d |%n", s.workloads(), s.policies(), r.classes(),
          r.workloadPairs(), r.allowedConnections(), r.compileMillis(), r.evaluateMillis(), r.totalMillis(),
          r.heapUsedMb());
      out.flush();
    }
    return ExitCodes.OK;
  }
}
