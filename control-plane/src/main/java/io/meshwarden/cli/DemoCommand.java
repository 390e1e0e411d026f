package io.meshwarden.cli;

import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.traffic.FlowReadException;
import io.meshwarden.demo.workloads.DemoWorkloads;
import io.meshwarden.serve.DemoRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshwarden demo}: the control plane and its UI on the bundled Online Boutique, no cluster needed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
          "Run the control plane with no cluster on the bundled Online Boutique: its manifests stand for the "
          + "cluster and its recorded hour of access logs is sent through the control plane's own ALS port, as the "
          + "sidecars would send it, then keeps playing live. Serves the UI, the API and xDS, and prints the URL. "
          + "Plaintext, for a trusted machine; SIGTERM or Ctrl-C stops it.")
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where the store lives (default: a new temporary directory).")
  Path stateDir;

  @CommandLine.Mixin ListenerOptions listeners = new ListenerOptions(0, 0, 8080);

  @Option(names = "--rate", paramLabel = "N", defaultValue = "5",
      description = "Recorded entries sent per second after the whole recording, stamped now; 0 stops after it"
          + " (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--workloads",
      description = "Also run the Online Boutique's services as real proxyless gRPC servers, simulated inside this"
          + " process on loopback addresses from 127.0.0.10 (Linux routes all of 127.0.0.0/8 to loopback), each taking"
          + " its listener and RBAC from this control plane over xDS and sending its access log to ALS; a load"
          + " generator calls them along the app's call graph, and an intruder (the frontend calling paymentservice's"
          + " Charge, which the app never does) calls once namespace default leaves observe: dry-run shows it as"
          + " would-deny against the pinned proposal version, enforce denies it.")
  boolean workloads;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String portError = listeners.portError();
    if (portError != null) {
      err.println("meshwarden demo: " + portError);
      return ExitCodes.USAGE;
    }
    if (rate < 0 || rate > 10_000) {
      err.println("meshwarden demo: --rate must be from 0 to 10000 entries a second");
      return ExitCodes.USAGE;
    }
    Path dir;
    try {
      dir = stateDir != null ? Files.createDirectories(stateDir) : Files.createTempDirectory("meshwarden-demo-");
    } catch (IOException e) {
      err.println("meshwarden demo: cannot create the state directory: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    DemoRuntime demo;
    try {
      demo = DemoRuntime.start(new DemoRuntime.Options(dir, listeners.host, listeners.xdsPort, listeners.alsPort,
          listeners.httpPort, rate, new MeshwardenCommand.Version().version()), Duration.ofSeconds(50), out, err);
    } catch (IOException | ManifestException | FlowReadException e) {
      err.println("meshwarden demo: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    if (workloads) {
      try {
        DemoWorkloads w = demo.startWorkloads(listeners.host, line -> {
          synchronized (err) {
            err.println(line);
            err.flush();
          }
        });
        out.println("meshwarden demo: simulated Online Boutique serving: " + w.plan().pods().stream()
            .filter(p -> p.port() > 0).map(p -> p.workload() + "@" + p.address() + ":" + p.port())
            .collect(java.util.stream.Collectors.joining(", ")));
      } catch (IOException | IllegalArgumentException e) {
        err.println("meshwarden demo: --workloads: " + e.getMessage());
        demo.close();
        return ExitCodes.BAD_INPUT;
      }
    }
    out.println("meshwarden demo: open " + demo.url(listeners.host) + " (Online Boutique, recorded traffic replayed"
        + " through ALS; state in " + dir + ")");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      demo.close();
      err.println("info: demo stopped; its state stays in " + dir);
      err.flush();
      stopped.countDown();
    }, "meshwarden-shutdown"));
    stopped.await();
    return ExitCodes.OK;
  }
}
