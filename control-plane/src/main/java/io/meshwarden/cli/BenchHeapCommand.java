package io.meshwarden.cli;

import io.meshwarden.serve.HeapBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code meshwarden bench-heap}: the heap {@code serve} keeps for a large cluster and what it learned. */
@Command(
    name = "bench-heap",
    mixinStandardHelpOptions = true,
    description =
          "Load a synthetic cluster into the live index (bench-index's: Deployments with a ReplicaSet, "
          + "3 pods and a Service each, NetworkPolicies per namespace), then learn distinct edges through "
          + "the ALS receiver on loopback (one sidecar stream per destination workload, each edge seen in "
          + "--hours distinct hours), with the store in a temporary directory. Prints the heap retained "
          + "after full collections by the index, by the learned edges and by the graph view built from "
          + "them, as a Markdown table (the one in docs/benchmarks.md). Give the JVM room: -Xmx4g for a "
          + "million edges.")
final class BenchHeapCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--workloads", defaultValue = "10000", description = "Workloads (default: ${DEFAULT-VALUE}).")
  int workloads;

  @Option(names = "--namespaces", defaultValue = "100", description = "Namespaces (default: ${DEFAULT-VALUE}).")
  int namespaces;

  @Option(names = "--edges", defaultValue = "1000000", description = "Distinct edges to learn (default: ${DEFAULT-VALUE}).")
  long edges;

  @Option(names = "--hours", split = ",", defaultValue = "1,24",
      description = "Distinct hours each edge is seen in, one run per value (default: ${DEFAULT-VALUE}).")
  List<Integer> hours = new ArrayList<>();

  @Option(names = "--http-share", defaultValue = "0.5",
      description = "Share of destination workloads serving HTTP, the rest plain TCP (default: ${DEFAULT-VALUE}).")
  double httpShare;

  @Option(names = "--streams", defaultValue = "4", description = "Sidecar streams at once (default: ${DEFAULT-VALUE}).")
  int streams;

  @Option(names = "--seed", defaultValue = "42", description = "Generator seed.")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<HeapBenchmark.Spec> specs = new ArrayList<>();
    try {
      for (int h : hours) {
        specs.add(new HeapBenchmark.Spec(workloads, namespaces, edges, h, httpShare, streams, seed));
      }
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("meshwarden bench-heap: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Runtime rt = Runtime.getRuntime();
    out.printf("cores=%d maxHeap=%dMB java=%s%n%n", rt.availableProcessors(), rt.maxMemory() >> 20,
        System.getProperty("java.version"));
    out.println("| workloads | objects | index MB | edges | hours/edge | entries | ingest s | edges MB | bytes/edge"
        + " | graph view MB | view bytes/edge |");
    out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    out.flush();
    for (HeapBenchmark.Spec s : specs) {
      Path dir = Files.createTempDirectory("meshwarden-bench-heap");
      try {
        HeapBenchmark.Result r = HeapBenchmark.run(s, dir);
        out.printf("| %,d | %,d | %.0f | %,d | %d | %,d | %.1f | %.0f | %.0f | %.0f | %.0f |%n", s.workloads(),
            r.objects(), r.indexBytes() / 1048576.0, r.edges(), s.hours(), r.entries(),
            r.ingest().toMillis() / 1000.0, r.edgeBytes() / 1048576.0, r.bytesPerEdge(),
            r.viewBytes() / 1048576.0, r.viewBytesPerEdge());
        out.flush();
      } finally {
        HeapBenchmark.delete(dir);
      }
    }
    return ExitCodes.OK;
  }
}
