package io.meshwarden.cli;

import io.meshwarden.bench.BareYaml;
import io.meshwarden.bench.SyntheticCluster;
import io.meshwarden.bench.SyntheticManifests;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.Origin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code meshwarden bench-commands}: the user-facing commands on generated YAML clusters, each timed
 * in this JVM exactly as the command line runs it, next to a bare YAML load of the same file.
 */
@Command(
    name = "bench-commands",
    mixinStandardHelpOptions = true,
    description =
          "Write synthetic clusters as YAML files (Namespaces, Deployments, Services, "
          + "NetworkPolicies) and a Hubble flow log for each, then run analyze, connectivity (every "
          + "format), generate, dry-run and diff on them exactly as the command line does, next to a "
          + "bare YAML load of the same file. Output goes to a byte counter. Sizes run one after the "
          + "other in this JVM. Prints a Markdown table (the one in docs/benchmarks.md).")
final class BenchCommandsCommand implements Callable<Integer> {
  /** The commands this benchmark knows, in the order they run. */
  static final List<String> COMMANDS = List.of("load", "analyze", "analyze-flows", "connectivity-txt", "connectivity-json",
      "connectivity-csv", "connectivity-md", "connectivity-dot", "generate", "dry-run", "diff");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--sizes", split = ",", paramLabel = "WORKLOADSxPOLICIES",
      defaultValue = "1000x0,2500x0,5000x0,10000x0,1000x2000,2500x2000,5000x2000,10000x2000",
      description = "Cluster sizes to run (default: ${DEFAULT-VALUE}).")
  List<String> sizes = new ArrayList<>();

  @Option(names = "--commands", split = ",", paramLabel = "NAME",
      description = "Which commands to run: load (the manifest loader alone, what every command does first), analyze, analyze-flows, connectivity-txt, connectivity-json,"
          + " connectivity-csv, connectivity-md, connectivity-dot, generate, dry-run, diff (default: all).")
  List<String> commands = new ArrayList<>(COMMANDS);

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where to write the clusters (kept, and reused when present); default: a temporary directory, deleted after.")
  Path dir;

  @Option(names = "--flows-per-workload", defaultValue = "10", description = "Flow lines per workload (default: ${DEFAULT-VALUE}).")
  int flowsPerWorkload;

  @Option(names = "--namespaces", defaultValue = "100", description = "Namespaces per cluster (default: ${DEFAULT-VALUE}).")
  int namespaces;

  @Option(names = "--replica-share", defaultValue = "0.3",
      description = "Share of workloads that are label-identical twins of another (default: ${DEFAULT-VALUE}).")
  double replicaShare;

  @Option(names = "--repetitions", defaultValue = "1", description = "Timed runs of each command; the best is kept.")
  int repetitions;

  @Option(names = "--seed", defaultValue = "42", description = "Generator seed.")
  long seed;

  @Option(names = "--fresh-jvm",
      description = "Run every command, and both loads, in a new JVM as a user runs the jar (java -Xmx<--heap> -jar "
          + "<this jar> ..., stdout to /dev/null): the time includes the JVM's start and its cold JIT. Without it, "
          + "everything runs in this JVM, so later rows run warm.")
  boolean freshJvm;

  @Option(names = "--heap", defaultValue = "2g", paramLabel = "SIZE",
      description = "The -Xmx of each new JVM with --fresh-jvm (default: ${DEFAULT-VALUE}).")
  String heap;

  /** For --fresh-jvm: one load in this JVM, "bare:FILE" or "manifest:FILE", then exit. */
  @Option(names = "--load-once", hidden = true)
  String loadOnce;

  @Override
  public Integer call() throws IOException, ManifestException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (loadOnce != null) {
      Path file = Path.of(loadOnce.substring(loadOnce.indexOf(':') + 1));
      if (loadOnce.startsWith("bare:")) {
        BareYaml.load(file);
      } else {
        new ManifestLoader(false).load(List.of(file.toString()));
      }
      return ExitCodes.OK;
    }
    List<SyntheticCluster.Spec> specs = new ArrayList<>();
    try {
      for (String s : sizes) {
        String[] p = s.toLowerCase(Locale.ROOT).split("x");
        if (p.length != 2) {
          throw new IllegalArgumentException("size \"" + s + "\" is not WORKLOADSxPOLICIES");
        }
        specs.add(new SyntheticCluster.Spec(namespaces, Integer.parseInt(p[0]), Integer.parseInt(p[1]), replicaShare,
            seed));
      }
      for (String c : commands) {
        if (!COMMANDS.contains(c)) {
          throw new IllegalArgumentException("unknown command \"" + c + "\"; one of " + String.join(", ", COMMANDS));
        }
      }
      if (repetitions < 1 || flowsPerWorkload < 1) {
        throw new IllegalArgumentException("--repetitions and --flows-per-workload must be at least 1");
      }
      if (freshJvm) {
        jar();
      }
    } catch (IllegalArgumentException e) {
      err.println("meshwarden bench-commands: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    boolean temporary = dir == null;
    Path root = temporary ? Files.createTempDirectory("meshwarden-bench-") : Files.createDirectories(dir);
    Runtime rt = Runtime.getRuntime();
    if (freshJvm) {
      out.printf("cores=%d java=%s, every row in a new JVM: java -Xmx%s -jar %s%n%n", rt.availableProcessors(),
          System.getProperty("java.version"), heap, jar());
    } else {
      out.printf("cores=%d maxHeap=%dMB java=%s%n%n", rt.availableProcessors(), rt.maxMemory() >> 20,
          System.getProperty("java.version"));
    }
    out.println("| workloads | policies | command | ms | × bare YAML load | output MB | exit | peak heap MB |");
    out.println("|---:|---:|---|---:|---:|---:|---:|---:|");
    out.flush();
    try {
      for (SyntheticCluster.Spec s : specs) {
        SizeFiles sizeFiles = files(root, s, err);
        long bare = (freshJvm ? bestFork(new String[] {"bench-commands", "--load-once", "bare:" + sizeFiles.cluster()})
            : best(() -> {
              long t0 = System.nanoTime();
              BareYaml.load(sizeFiles.cluster());
              return new Timed(System.nanoTime() - t0, 0, 0, 0);
            })).nanos();
        String mb = String.format(Locale.ROOT, "%.1f", Files.size(sizeFiles.cluster()) / 1e6);
        out.printf("| %d | %d | bare YAML load (%s MB) | %d | 1.00 | | | |%n", s.workloads(), s.policies(), mb,
            bare / 1_000_000);
        out.flush();
        for (String c : commands) {
          if (c.equals("load")) {
            long load = (freshJvm
                ? bestFork(new String[] {"bench-commands", "--load-once", "manifest:" + sizeFiles.cluster()})
                : best(() -> {
                  long t0 = System.nanoTime();
                  new ManifestLoader(false).load(List.of(sizeFiles.cluster().toString()));
                  return new Timed(System.nanoTime() - t0, 0, 0, 0);
                })).nanos();
            out.printf(Locale.ROOT, "| %d | %d | manifest load (the first step of every command) | %d | %.2f | | | |%n",
                s.workloads(), s.policies(), load / 1_000_000, (double) load / bare);
            out.flush();
            continue;
          }
          String[] args = args(c, sizeFiles);
          Timed t = freshJvm ? bestFork(args) : bestRun(args);
          // A new JVM's output goes to /dev/null and its heap is its own: neither is measured then.
          out.printf(Locale.ROOT, "| %d | %d | `%s` | %d | %.2f | %s | %d | %s |%n", s.workloads(), s.policies(),
              display(args), t.nanos() / 1_000_000, (double) t.nanos() / bare,
              freshJvm ? "" : String.format(Locale.ROOT, "%.1f", t.outputBytes() / 1e6), t.exit(),
              freshJvm ? "" : String.valueOf(t.peakHeapMb()));
          out.flush();
        }
      }
    } finally {
      if (temporary) {
        try (var walk = Files.walk(root)) {
          for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
    return ExitCodes.OK;
  }

  /** The input files of one size. */
  private record SizeFiles(Path cluster, Path policies, Path flows, Path generated) {}

  private record Timed(long nanos, long outputBytes, int exit, long peakHeapMb) {}

  @FunctionalInterface
  private interface Run {
    Timed once() throws IOException, ManifestException;
  }

  /** The fastest of {@code --repetitions} runs. */
  private Timed best(Run r) throws IOException, ManifestException {
    Timed best = null;
    for (int i = 0; i < repetitions; i++) {
      Timed t = r.once();
      if (best == null || t.nanos() < best.nanos()) {
        best = t;
      }
    }
    return best;
  }

  private Timed bestRun(String[] args) throws IOException, ManifestException {
    return best(() -> runOnce(args));
  }

  private Timed bestFork(String[] args) throws IOException, ManifestException {
    return best(() -> fork(args));
  }

  /** Runs one command line in a new JVM on this jar, as a user runs it, stdout to /dev/null. */
  private Timed fork(String[] args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-jar", jar().toString()));
    cmd.addAll(List.of(args));
    Path errors = Files.createTempFile("meshwarden-bench-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errors.toFile());
      long t0 = System.nanoTime();
      Process p = pb.start();
      int exit;
      try {
        exit = p.waitFor();
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      long nanos = System.nanoTime() - t0;
      if (!Set.of(0, 1).contains(exit)) {
        String first = Files.readAllLines(errors).stream().findFirst().orElse("");
        throw new IllegalStateException(display(args) + " exited " + exit + ": " + first);
      }
      return new Timed(nanos, 0, exit, 0);
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  /** The jar this command runs from; --fresh-jvm starts it again. */
  private static Path jar() {
    try {
      Path p = Path.of(BenchCommandsCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!p.toString().endsWith(".jar")) {
        throw new IllegalArgumentException("--fresh-jvm runs the packaged jar; this runs from " + p);
      }
      return p;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs one command line as {@code Main} would, its output into a byte counter. */
  private static Timed runOnce(String[] args) {
    System.gc();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    Counter counter = new Counter();
    Counter errors = new Counter();
    long t0 = System.nanoTime();
    int exit = MeshwardenCommand.run(args, new ByteArrayInputStream(new byte[0]),
        new PrintStream(counter, false, StandardCharsets.UTF_8), new PrintStream(errors, true, StandardCharsets.UTF_8));
    long nanos = System.nanoTime() - t0;
    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
    if (!Set.of(0, 1).contains(exit)) {
      throw new IllegalStateException(display(args) + " exited " + exit + ": " + errors.firstLine());
    }
    return new Timed(nanos, counter.bytes, exit, peak);
  }

  private SizeFiles files(Path root, SyntheticCluster.Spec s, PrintWriter err) throws IOException {
    Path d = Files.createDirectories(root.resolve(s.workloads() + "x" + s.policies()));
    SizeFiles f = new SizeFiles(d.resolve("cluster.yaml"), d.resolve("policies.yaml"), d.resolve("flows.json"),
        d.resolve("generated.yaml"));
    if (!Files.exists(f.flows())) {
      long t0 = System.nanoTime();
      SyntheticManifests.writeCluster(s, f.cluster());
      var model = SyntheticCluster.generate(s);
      // diff needs an old policy set; a cluster without policies gets one that selects no pod.
      SyntheticManifests.writePolicies(model.networkPolicies().isEmpty()
          ? List.of(new io.meshwarden.model.NetworkPolicy("bench-empty", "selects-nothing",
              new io.meshwarden.model.LabelSelector(java.util.Map.of("app", "none"), List.of()), true, false,
              List.of(), List.of(), new Origin("<synthetic>", 0)))
          : model.networkPolicies(), f.policies());
      SyntheticManifests.writeFlows(model, (long) s.workloads() * flowsPerWorkload, s.seed(), f.flows());
      err.printf("wrote %s in %.1f s%n", d, (System.nanoTime() - t0) / 1e9);
      err.flush();
    }
    if (commands.contains("dry-run") || commands.contains("diff")) {
      // dry-run and diff judge the policy generate proposes, so it is written first (not timed here).
      runOnce(args("generate", f));
    }
    return f;
  }

  private static String[] args(String command, SizeFiles f) {
    String cluster = f.cluster().toString();
    return switch (command) {
      case "analyze" -> new String[] {"analyze", "-f", cluster, "-o", "json", "-q", "--no-progress"};
      case "analyze-flows" -> new String[] {"analyze", "-f", cluster, "--flows", f.flows().toString(), "-o", "json", "-q",
          "--no-progress"};
      case "generate" -> new String[] {"generate", "-f", cluster, "--flows", f.flows().toString(), "-o",
          "networkpolicy", "--output-file", f.generated().toString(), "-q"};
      case "dry-run" -> new String[] {"dry-run", "-f", cluster, "--policy", f.generated().toString(), "--replace",
          "--flows", f.flows().toString(), "-q"};
      case "diff" -> new String[] {"diff", "-f", cluster, f.policies().toString(), f.generated().toString()};
      default -> new String[] {"connectivity", "-f", cluster, "-o", command.substring("connectivity-".length()), "-q"};
    };
  }

  private static String display(String[] args) {
    return String.join(" ", args).replaceAll("\\S*/(\\w+\\.(yaml|json))", "$1");
  }

  /** Counts what a command prints, and keeps the first line (for stderr). */
  private static final class Counter extends OutputStream {
    long bytes;
    private final StringBuilder first = new StringBuilder();

    @Override
    public void write(int b) {
      bytes++;
      keep(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
      for (int i = off; i < off + len && first.length() < 300; i++) {
        keep(b[i]);
      }
    }

    private void keep(int b) {
      if (first.length() < 300 && b != '\n') {
        first.append((char) b);
      } else if (b == '\n' && first.length() > 0) {
        first.setLength(Math.min(first.length(), 300));
      }
    }

    String firstLine() {
      return first.toString();
    }
  }
}
