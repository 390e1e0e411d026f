package io.meshwarden.cli;

import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.IpPartition;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.report.ByteLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code meshwarden diff OLD NEW}: what a policy change does to connectivity. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description =
          "Semantic difference between two policy sets on the same workloads: the connections NEW "
          + "allows that OLD did not (+), those it no longer allows (-), and those whose ports "
          + "changed (~). OLD and NEW are files or directories of NetworkPolicy / AdminNetworkPolicy "
          + "YAML; the policies in -f are ignored. Exit code 1 when the sets differ.")
final class DiffCommand implements Callable<Integer> {
  private final InputStream stdin;
  private final OutputStream stdout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ManifestOptions manifests = new ManifestOptions();

  @CommandLine.Mixin QuietOption quietOption = new QuietOption();

  @Parameters(index = "0", paramLabel = "OLD", description = "The current policy set.")
  String oldSet;

  @Parameters(index = "1", paramLabel = "NEW", description = "The proposed policy set.")
  String newSet;

  DiffCommand(InputStream stdin, OutputStream stdout) {
    this.stdin = stdin;
    this.stdout = stdout;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Diagnostics diagnostics = new Diagnostics(err, quietOption.quiet);
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    Counts counts;
    try (SideBySide workers = new SideBySide(threads)) {
      // The workloads are read once (both sets are judged on the same cluster, and its warnings
      // print once), beside the two policy sets.
      List<Inputs.Pending> read = Inputs.read(workers, manifests, stdin,
          List.of(manifests.paths, List.of(oldSet), List.of(newSet)));
      ClusterModel base = Inputs.base(read.get(0), diagnostics);
      ClusterModel oldModel = Inputs.replacePolicies(base, read.get(1), diagnostics);
      ClusterModel newModel = Inputs.replacePolicies(base, read.get(2), diagnostics);
      // The two analyses are pure functions of two immutable models: one runs beside the other.
      Future<Connectivity> oldF = workers.start(() -> ConnectivityAnalyzer.analyze(oldModel));
      Connectivity newC = ConnectivityAnalyzer.analyze(newModel);
      Connectivity oldC = SideBySide.result(oldF);
      // Compare external peers on ranges both sets cut alike, or every new ipBlock would look like a change.
      List<IpRange> sourceRanges = IpPartition.of(concat(oldC.sourceRanges(), newC.sourceRanges()));
      List<IpRange> destinationRanges = IpPartition.of(concat(oldC.destinationRanges(), newC.destinationRanges()));
      List<Peer> sources = peers(oldModel, sourceRanges);
      sources.add(new Peer.IngressControllerPeer());
      // Lines come out sorted by "src => dst", which is source, then destination, by display name.
      sources.sort(BY_NAME);
      // Both models hold the same workloads (read once), so one destination list serves both.
      counts = compare(workers, threads, sources, peers(oldModel, destinationRanges), oldC, newC);
    } catch (ManifestException e) {
      err.println("meshwarden diff: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("meshwarden diff: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%d added, %d removed, %d changed%n", counts.added, counts.removed, counts.changed);
    out.flush();
    return counts.added + counts.removed + counts.changed == 0 ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
  }

  private static final Comparator<Peer> BY_NAME = Comparator.comparing(Peer::displayName);

  /** The model's workloads and {@code ranges} as peers, sorted by display name. */
  private static List<Peer> peers(ClusterModel m, List<IpRange> ranges) {
    List<Peer> out = new ArrayList<>();
    m.workloads().forEach(w -> out.add(new Peer.WorkloadPeer(w)));
    ranges.forEach(r -> out.add(new Peer.ExternalPeer(r)));
    out.sort(BY_NAME);
    return out;
  }

  /** The lines of a run of sources, in order, and what they counted. */
  private record Chunk(List<byte[]> blocks, long added, long removed, long changed) {}

  private static final class Counts {
    long added;
    long removed;
    long changed;
  }

  /** Pairs compared per chunk of sources: enough to keep a worker busy, little to hold. */
  private static final int PAIRS_PER_CHUNK = 50_000;

  /**
   * Streams the differing pairs. 10,000 workloads without policies are 10^8 pairs, which must not
   * be held: the sources are cut into runs that the workers compare (a row of each analysis per
   * source) while this thread writes the finished runs in order, a few runs ahead at most.
   */
  private Counts compare(SideBySide workers, int threads, List<Peer> sources, List<Peer> destinations,
      Connectivity oldC, Connectivity newC) throws IOException, ManifestException {
    BlockingQueue<Comparer> idle = new ArrayBlockingQueue<>(threads);
    for (int i = 0; i < threads; i++) {
      idle.add(new Comparer(oldC, newC, destinations));
    }
    int per = Math.max(1, PAIRS_PER_CHUNK / Math.max(1, destinations.size()));
    Deque<Future<Chunk>> inFlight = new ArrayDeque<>();
    Counts counts = new Counts();
    int next = 0;
    while (next < sources.size() || !inFlight.isEmpty()) {
      while (inFlight.size() < 2 * threads && next < sources.size()) {
        int from = next;
        int to = Math.min(sources.size(), next + per);
        inFlight.add(workers.start(() -> {
          Comparer c = idle.take();
          try {
            return c.compare(sources.subList(from, to));
          } finally {
            idle.add(c);
          }
        }));
        next = to;
      }
      Chunk c = SideBySide.result(inFlight.poll());
      for (byte[] b : c.blocks()) {
        stdout.write(b);
      }
      counts.added += c.added();
      counts.removed += c.removed();
      counts.changed += c.changed();
    }
    stdout.flush();
    return counts;
  }

  /** One worker's evaluation state: a Destinations keeps the last row it evaluated, so each worker has its own. */
  private static final class Comparer {
    private final Connectivity oldC;
    private final Connectivity newC;
    private final Connectivity.Destinations oldD;
    private final Connectivity.Destinations newD;
    private final byte[][] names;
    private final ConnectionSet[] before;
    private final ConnectionSet[] after;
    private final Map<ConnectionSet, byte[]> text = new IdentityHashMap<>();
    private final Blocks blocks = new Blocks();
    private final ByteLines out = new ByteLines(blocks);
    private final int[] hitsBefore;
    private final int[] hitsAfter;
    private long added;
    private long removed;
    private long changed;

    Comparer(Connectivity oldC, Connectivity newC, List<Peer> destinations) {
      this.oldC = oldC;
      this.newC = newC;
      oldD = oldC.destinations(destinations);
      newD = newC.destinations(destinations);
      names = new byte[destinations.size()][];
      for (int i = 0; i < names.length; i++) {
        names[i] = ByteLines.bytes(" => " + destinations.get(i).displayName() + " : ");
      }
      before = new ConnectionSet[names.length];
      after = new ConnectionSet[names.length];
      hitsBefore = new int[names.length];
      hitsAfter = new int[names.length];
    }

    Chunk compare(List<Peer> sources) throws IOException {
      for (Peer src : sources) {
        text.clear();
        byte[] s = ByteLines.bytes(src.displayName());
        int kb = -1;
        int ka = -1;
        if (src instanceof Peer.WorkloadPeer w) {
          kb = oldC.reach(w, oldD, before, hitsBefore);
          ka = kb < 0 ? -1 : newC.reach(w, newD, after, hitsAfter);
        }
        if (ka < 0) {
          oldC.row(src, oldD, before);
          newC.row(src, newD, after);
          for (int i = 0; i < names.length; i++) {
            pair(s, i, before[i], after[i]);
          }
          continue;
        }
        // Both rows are sparse: walk the union of their destinations in order.
        for (int x = 0, y = 0; x < kb || y < ka; ) {
          int i = y == ka || x < kb && hitsBefore[x] < hitsAfter[y] ? hitsBefore[x] : hitsAfter[y];
          boolean inBefore = x < kb && hitsBefore[x] == i;
          boolean inAfter = y < ka && hitsAfter[y] == i;
          pair(s, i, inBefore ? before[i] : ConnectionSet.NONE, inAfter ? after[i] : ConnectionSet.NONE);
          x += inBefore ? 1 : 0;
          y += inAfter ? 1 : 0;
        }
      }
      out.flush();
      Chunk c = new Chunk(blocks.take(), added, removed, changed);
      added = 0;
      removed = 0;
      changed = 0;
      return c;
    }

    /** Prints the pair of source {@code s} and destination {@code i} if the two sets differ. */
    private void pair(byte[] s, int i, ConnectionSet b, ConnectionSet a) {
      if (a == b || b.isEmpty() && a.isEmpty()) {
        return;
      }
      if (b.isEmpty()) {
        out.put(PLUS).put(s).put(names[i]).put(text(a)).put((byte) '\n');
        added++;
      } else if (a.isEmpty()) {
        out.put(MINUS).put(s).put(names[i]).put(text(b)).put((byte) '\n');
        removed++;
      } else if (!a.equals(b) && !a.toString().equals(b.toString())) {
        out.put(TILDE).put(s).put(names[i]).put(text(b)).put(CHANGED_TO).put(text(a)).put((byte) '\n');
        changed++;
      }
    }

    private byte[] text(ConnectionSet c) {
      return text.computeIfAbsent(c, x -> ByteLines.bytes(x.toString()));
    }
  }

  /** Collects what a run of sources printed, as the blocks ByteLines drained. */
  private static final class Blocks extends OutputStream {
    private List<byte[]> blocks = new ArrayList<>();

    @Override
    public void write(int b) {
      blocks.add(new byte[] {(byte) b});
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len > 0) {
        blocks.add(Arrays.copyOfRange(b, off, off + len));
      }
    }

    List<byte[]> take() {
      List<byte[]> out = blocks;
      blocks = new ArrayList<>();
      return out;
    }
  }

  private static final byte[] PLUS = ByteLines.bytes("+ ");
  private static final byte[] MINUS = ByteLines.bytes("- ");
  private static final byte[] TILDE = ByteLines.bytes("~ ");
  private static final byte[] CHANGED_TO = ByteLines.bytes(" -> ");

  private static List<IpRange> concat(List<IpRange> a, List<IpRange> b) {
    List<IpRange> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
