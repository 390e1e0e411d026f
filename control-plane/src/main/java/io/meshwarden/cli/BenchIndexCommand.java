package io.meshwarden.cli;

import io.meshwarden.bench.IndexBenchmark;
import io.meshwarden.index.LiveIndex;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code meshwarden bench-index}: the live index under one-object changes, on synthetic clusters. */
@Command(
    name = "bench-index",
    mixinStandardHelpOptions = true,
    description =
          "Load a synthetic cluster (Deployments with a ReplicaSet, pods and a Service each, "
          + "NetworkPolicies per namespace) into the live index object by object, then time single "
          + "changes from the call that applies them until a published snapshot shows them: a pod "
          + "replaced (status only) and a Deployment's labels edited (a policy change). Times include "
          + "the index's debounce. Prints a Markdown table (the one in docs/benchmarks.md).")
final class BenchIndexCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--workloads", split = ",", defaultValue = "1000,10000",
      description = "Cluster sizes in workloads (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes = new ArrayList<>();

  @Option(names = "--namespaces", defaultValue = "100", description = "Namespaces (default: ${DEFAULT-VALUE}).")
  int namespaces;

  @Option(names = "--pods", defaultValue = "3", description = "Pods per workload (default: ${DEFAULT-VALUE}).")
  int pods;

  @Option(names = "--policies", defaultValue = "20",
      description = "NetworkPolicies per namespace (default: ${DEFAULT-VALUE}).")
  int policies;

  @Option(names = "--changes", defaultValue = "200", description = "Pod changes timed per size (default: ${DEFAULT-VALUE}).")
  int changes;

  @Option(names = "--seed", defaultValue = "42", description = "Generator seed.")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (sizes.stream().anyMatch(n -> n < 1) || namespaces < 1 || pods < 1 || policies < 0 || changes < 1 || changes > 65536) {
      spec.commandLine().getErr().println("meshwarden bench-index: sizes, namespaces, pods and changes must be positive (changes at most 65536)");
      return ExitCodes.USAGE;
    }
    Runtime rt = Runtime.getRuntime();
    LiveIndex.Options options = LiveIndex.Options.defaults();
    out.printf("cores=%d maxHeap=%dMB java=%s debounce quiet=%dms max=%dms%n%n", rt.availableProcessors(),
        rt.maxMemory() >> 20, System.getProperty("java.version"), options.quiet().toMillis(),
        options.maxDelay().toMillis());
    out.println("| workloads | objects | load ms | index heap MB | KB/workload | pod change p50 / p99 / max ms"
        + " | namespaces rebuilt per pod change | spec change p50 / p99 / max ms |");
    out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
    out.flush();
    for (IndexBenchmark.Spec s : IndexBenchmark.specs(sizes, namespaces, pods, policies, changes, seed)) {
      IndexBenchmark.Result r = IndexBenchmark.run(s, options);
      out.printf("| %d | %d | %d | %d | %.1f | %.1f / %.1f / %.1f | %d | %.1f / %.1f / %.1f |%n", s.workloads(),
          r.objects(), r.loadMillis(), r.heapMb(), r.heapKbPerWorkload(), r.podP50(), r.podP99(), r.podMax(),
          r.namespacesRebuiltPerPodChange(), r.specP50(), r.specP99(), r.specMax());
      out.flush();
    }
    return ExitCodes.OK;
  }
}
