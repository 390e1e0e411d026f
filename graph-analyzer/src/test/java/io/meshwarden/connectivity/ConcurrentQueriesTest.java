package io.meshwarden.connectivity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwarden.bench.SyntheticCluster;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One {@link Connectivity} serves many readers of a live snapshot at once. */
class ConcurrentQueriesTest {
  private static final ClusterModel MODEL = SyntheticCluster.generate(
      new SyntheticCluster.Spec(20, 600, 150, 0.3, 7));

  /** Everything a reader may ask, folded to comparable values. */
  private static List<String> queries(Connectivity c, List<Workload> workloads) {
    List<String> out = new ArrayList<>();
    long[] count = new long[1];
    long[] hash = new long[1];
    c.forEachAllowed((src, dst, allowed) -> {
      count[0]++;
      hash[0] += (src.displayName() + ">" + dst.displayName() + ":" + allowed).hashCode();
    });
    out.add(count[0] + "/" + hash[0]);
    out.add(String.valueOf(c.networkPolicyRules().size()));
    for (int i = 0; i < workloads.size(); i += 7) {
      Workload a = workloads.get(i);
      Workload b = workloads.get((i * 31 + 3) % workloads.size());
      out.add(c.allowed(new Peer.WorkloadPeer(a), new Peer.WorkloadPeer(b)).toString());
      out.add(c.entireCluster(a, true).toString());
    }
    out.add(c.warnings().toString());
    return out;
  }

  @Test
  void concurrentQueriesAnswerWhatSequentialOnesDo() throws Exception {
    List<String> expected = queries(ConnectivityAnalyzer.analyze(MODEL), MODEL.workloads());
    Connectivity shared = ConnectivityAnalyzer.analyze(MODEL);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<List<String>>> tasks = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        tasks.add(() -> queries(shared, MODEL.workloads()));
      }
      for (Future<List<String>> f : pool.invokeAll(tasks)) {
        assertEquals(expected, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void workloadsOfALaterSnapshotWithTheSameSpecAreAnswered() {
    Connectivity c = ConnectivityAnalyzer.analyze(MODEL);
    List<Workload> copies = MODEL.workloads().stream().map(w -> new Workload(w.namespace(), w.kind(), w.name(),
        w.podLabels(), w.containers(), w.serviceAccount(), w.hostNetwork(), 3, List.of("10.1.2.3"), w.origin(),
        w.secondaryNetworks())).toList();
    List<String> original = queries(c, MODEL.workloads());
    assertEquals(original, queries(c, copies));
  }
}
