package io.meshwarden.cli;

import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.IpPartition;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Workload;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code meshwarden diff OLD NEW}: what a policy change does to connectivity. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Semantic difference between two policy sets on the same workloads: the connections NEW allows",
      "that OLD did not (+), those it no longer allows (-), and those whose ports changed (~).",
      "OLD and NEW are files or directories of NetworkPolicy / AdminNetworkPolicy YAML; the policies",
      "in -f are ignored. Exit code 1 when the sets differ."
    })
final class DiffCommand implements Callable<Integer> {
  private final InputStream stdin;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "PATH", description = "Manifests (the workloads). Repeatable.")
  List<String> paths = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "OLD", description = "The current policy set.")
  String oldSet;

  @Parameters(index = "1", paramLabel = "NEW", description = "The proposed policy set.")
  String newSet;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace of objects that set none.")
  String namespace;

  DiffCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> before;
    Map<String, String> after;
    try {
      ClusterModel oldModel = Inputs.load(paths, List.of(oldSet), true, namespace, false, stdin, err, true);
      ClusterModel newModel = Inputs.load(paths, List.of(newSet), true, namespace, false, stdin, err, true);
      Connectivity oldC = ConnectivityAnalyzer.analyze(oldModel);
      Connectivity newC = ConnectivityAnalyzer.analyze(newModel);
      // Compare external peers on ranges both sets cut alike, or every new ipBlock would look like a change.
      List<IpRange> sources = IpPartition.of(concat(oldC.sourceRanges(), newC.sourceRanges()));
      List<IpRange> destinations = IpPartition.of(concat(oldC.destinationRanges(), newC.destinationRanges()));
      before = connections(oldModel, oldC, sources, destinations);
      after = connections(newModel, newC, sources, destinations);
    } catch (ManifestException e) {
      err.println("meshwarden diff: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("meshwarden diff: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    TreeSet<String> pairs = new TreeSet<>(before.keySet());
    pairs.addAll(after.keySet());
    PrintWriter out = spec.commandLine().getOut();
    int added = 0;
    int removed = 0;
    int changed = 0;
    for (String pair : pairs) {
      String b = before.get(pair);
      String a = after.get(pair);
      if (b == null) {
        out.println("+ " + pair + " : " + a);
        added++;
      } else if (a == null) {
        out.println("- " + pair + " : " + b);
        removed++;
      } else if (!a.equals(b)) {
        out.println("~ " + pair + " : " + b + " -> " + a);
        changed++;
      }
    }
    out.printf("%d added, %d removed, %d changed%n", added, removed, changed);
    out.flush();
    return added + removed + changed == 0 ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
  }

  private static Map<String, String> connections(ClusterModel m, Connectivity c, List<IpRange> sources,
      List<IpRange> destinations) {
    Map<String, String> out = new LinkedHashMap<>();
    c.forEachAllowed((s, d, set) -> {
      if (s instanceof Peer.WorkloadPeer && d instanceof Peer.WorkloadPeer || s instanceof Peer.IngressControllerPeer) {
        out.put(s.displayName() + " => " + d.displayName(), set.toString());
      }
    });
    for (Workload w : m.workloads()) {
      Peer wp = new Peer.WorkloadPeer(w);
      for (IpRange r : sources) {
        ConnectionSet set = c.allowed(new Peer.ExternalPeer(r), wp);
        if (!set.isEmpty()) {
          out.put(r + "[External] => " + wp.displayName(), set.toString());
        }
      }
      for (IpRange r : destinations) {
        ConnectionSet set = c.allowed(wp, new Peer.ExternalPeer(r));
        if (!set.isEmpty()) {
          out.put(wp.displayName() + " => " + r + "[External]", set.toString());
        }
      }
    }
    return out;
  }

  private static List<IpRange> concat(List<IpRange> a, List<IpRange> b) {
    List<IpRange> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
