package io.meshwarden.cli;

import io.meshwarden.sidecar.rbac.eval.RbacBenchmark;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code meshwarden bench-rbac}: decisions per second of our Envoy RBAC evaluator, one thread. */
@Command(
    name = "bench-rbac",
    mixinStandardHelpOptions = true,
    description =
          "Time our RBAC evaluator on one thread against an inbound listener the Envoy translator "
          + "generates (ports x peers x request shapes), with a fixed mix of allowed and denied "
          + "requests. Prints a Markdown table (the one in docs/benchmarks.md).")
final class BenchRbacCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--ports", split = ",", defaultValue = "1,8,32", description = "Ports per policy (default: ${DEFAULT-VALUE}).")
  int[] ports;

  @Option(names = "--peers", defaultValue = "20", description = "Allowed peers per port (default: ${DEFAULT-VALUE}).")
  int peers;

  @Option(names = "--paths", defaultValue = "10", description = "Allowed request shapes per port (default: ${DEFAULT-VALUE}).")
  int paths;

  @Option(names = "--seconds", defaultValue = "3", description = "Measured seconds per row, after as long a warm-up.")
  int seconds;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.printf("cores=%d java=%s%n%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    out.println("| ports | peers/port | shapes/port | decisions | seconds | decisions/s | allowed |");
    out.println("|---:|---:|---:|---:|---:|---:|---:|");
    out.flush();
    for (int p : ports) {
      RbacBenchmark.Result r = RbacBenchmark.run(new RbacBenchmark.Spec(p, peers, paths, 4096, 42), seconds * 1000L,
          seconds * 1000L);
      out.printf("| %d | %d | %d | %d | %.2f | %,.0f | %.0f%% |%n", p, peers, paths, r.decisions(), r.nanos() / 1e9,
          r.decisionsPerSecond(), r.allowedShare() * 100);
      out.flush();
    }
    return ExitCodes.OK;
  }
}
