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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
    ClusterModel oldModel;
    ClusterModel newModel;
    Connectivity oldC;
    Connectivity newC;
    try {
      // The workloads are read once: both sets are judged on the same cluster, and its warnings print once.
      ClusterModel base = Inputs.base(manifests, stdin, diagnostics);
      oldModel = Inputs.replacePolicies(base, List.of(oldSet), manifests, stdin, diagnostics);
      newModel = Inputs.replacePolicies(base, List.of(newSet), manifests, stdin, diagnostics);
      // The two analyses are pure functions of two immutable models: one runs beside the other.
      ClusterModel oldM = oldModel;
      CompletableFuture<Connectivity> oldF = CompletableFuture.supplyAsync(() -> ConnectivityAnalyzer.analyze(oldM));
      newC = ConnectivityAnalyzer.analyze(newModel);
      oldC = joined(oldF);
    } catch (ManifestException e) {
      err.println("meshwarden diff: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("meshwarden diff: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    // Compare external peers on ranges both sets cut alike, or every new ipBlock would look like a change.
    List<IpRange> sourceRanges = IpPartition.of(concat(oldC.sourceRanges(), newC.sourceRanges()));
    List<IpRange> destinationRanges = IpPartition.of(concat(oldC.destinationRanges(), newC.destinationRanges()));
    List<Peer> sources = peers(oldModel, sourceRanges);
    sources.add(new Peer.IngressControllerPeer());
    // Lines come out sorted by "src => dst", which is source, then destination, by display name.
    sources.sort(BY_NAME);
    Counts counts = compare(sources, peers(oldModel, destinationRanges), peers(newModel, destinationRanges), oldC, newC,
        new ByteLines(stdout));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%d added, %d removed, %d changed%n", counts.added, counts.removed, counts.changed);
    out.flush();
    return counts.added + counts.removed + counts.changed == 0 ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
  }

  /** The analysis of the other thread, failing as it would have failed here (exit 70 on running out of heap). */
  private static Connectivity joined(CompletableFuture<Connectivity> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
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

  private static final class Counts {
    long added;
    long removed;
    long changed;
  }

  /**
   * Streams the differing pairs, one source row at a time from both analyses: 10,000 workloads
   * without policies are 10^8 pairs, which must not be held to be compared.
   */
  private static Counts compare(List<Peer> sources, List<Peer> destinations, List<Peer> newDestinations,
      Connectivity oldC, Connectivity newC, ByteLines out) throws IOException {
    // Both lists hold the same workloads (one load of the manifests per policy set), in the same order.
    Connectivity.Destinations oldD = oldC.destinations(destinations);
    Connectivity.Destinations newD = newC.destinations(newDestinations);
    byte[][] names = new byte[destinations.size()][];
    for (int i = 0; i < names.length; i++) {
      names[i] = ByteLines.bytes(" => " + destinations.get(i).displayName() + " : ");
    }
    ConnectionSet[] before = new ConnectionSet[names.length];
    ConnectionSet[] after = new ConnectionSet[names.length];
    Map<ConnectionSet, byte[]> text = new IdentityHashMap<>();
    Counts counts = new Counts();
    for (Peer src : sources) {
      oldC.row(src, oldD, before);
      newC.row(src, newD, after);
      text.clear();
      byte[] s = ByteLines.bytes(src.displayName());
      for (int i = 0; i < names.length; i++) {
        ConnectionSet b = before[i];
        ConnectionSet a = after[i];
        if (a == b || b.isEmpty() && a.isEmpty()) {
          continue;
        }
        if (b.isEmpty()) {
          out.put(PLUS).put(s).put(names[i]).put(text(text, a)).put((byte) '\n');
          counts.added++;
        } else if (a.isEmpty()) {
          out.put(MINUS).put(s).put(names[i]).put(text(text, b)).put((byte) '\n');
          counts.removed++;
        } else if (!a.equals(b) && !a.toString().equals(b.toString())) {
          out.put(TILDE).put(s).put(names[i]).put(text(text, b)).put(CHANGED_TO).put(text(text, a)).put((byte) '\n');
          counts.changed++;
        }
      }
    }
    out.flush();
    return counts;
  }

  private static final byte[] PLUS = ByteLines.bytes("+ ");
  private static final byte[] MINUS = ByteLines.bytes("- ");
  private static final byte[] TILDE = ByteLines.bytes("~ ");
  private static final byte[] CHANGED_TO = ByteLines.bytes(" -> ");

  private static byte[] text(Map<ConnectionSet, byte[]> cache, ConnectionSet c) {
    return cache.computeIfAbsent(c, x -> ByteLines.bytes(x.toString()));
  }

  private static List<IpRange> concat(List<IpRange> a, List<IpRange> b) {
    List<IpRange> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
