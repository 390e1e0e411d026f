package io.meshwarden.proposal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.aggregate.TrafficView;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.ManifestSource;
import io.meshwarden.store.SqliteStore;
import io.meshwarden.traffic.EdgeStats;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.TrafficModel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProposalsTest {
  static ClusterSnapshot cluster;

  @BeforeAll
  static void load() throws Exception {
    ProposalCalculatorTest.load();
    try (LiveIndex index = new LiveIndex(LiveIndex.Options.defaults())) {
      ManifestSource.load(index, List.of(ProposalCalculatorTest.M + "upstream/release/kubernetes-manifests.yaml",
          ProposalCalculatorTest.M + "flows/endpointslices.yaml"), "default", java.io.InputStream.nullInputStream());
      cluster = index.flush().get(10, TimeUnit.SECONDS);
    }
  }

  static TrafficView view(long version, List<ObservedEdge> edges) {
    return new TrafficView(version, new TrafficModel(edges, edges.size(), List.of(), 0, Map.of()), Map.of());
  }

  @Test
  void onlyChangedInputsAreRecomputedAndAnUnchangedPolicyKeepsItsVersion(@TempDir Path dir) throws Exception {
    List<ObservedEdge> edges = ProposalCalculatorTest.traffic.edges();
    AtomicReference<TrafficView> traffic = new AtomicReference<>(view(1, edges));
    List<Set<String>> heard = new ArrayList<>();
    List<String> log = new ArrayList<>();
    try (SqliteStore store = SqliteStore.open(dir);
        Proposals proposals = new Proposals(() -> cluster, () -> CompletableFuture.completedFuture(traffic.get()), store,
            Clock.systemUTC(), Proposals.Settings.defaults("cluster.local"), log::add)) {
      proposals.onNewVersions(heard::add);
      assertEquals(Set.of("default"), proposals.refresh().get());
      String v = proposals.newest("default").orElseThrow().version();
      assertEquals(Map.of("default", v), store.newestProposals());
      assertTrue(log.get(0).contains("\"event\":\"proposal\"") && log.get(0).contains(v), log.toString());
      long computed = proposals.stats().recomputed();

      assertEquals(Set.of(), proposals.refresh().get(), "nothing moved");
      traffic.set(view(2, edges));
      assertEquals(Set.of(), proposals.refresh().get());
      assertEquals(computed, proposals.stats().recomputed(), "a new traffic version with the same edges is no input");

      List<ObservedEdge> busier = edges.stream().map(e -> new ObservedEdge(e.key(), new EdgeStats(e.stats().count() + 1,
          e.stats().bytes(), e.stats().firstSeen(), e.stats().lastSeen(), 0, e.stats().sample(), e.stats().observers())))
          .toList();
      traffic.set(view(3, busier));
      assertEquals(Set.of(), proposals.refresh().get(), "the same policy is no new version");
      assertEquals(computed + 1, proposals.stats().recomputed(), "only default's inputs changed");
      assertEquals(v, proposals.newest("default").orElseThrow().version());
      assertEquals(1, proposals.stats().versions());

      traffic.set(view(4, busier.subList(1, busier.size())));
      assertEquals(Set.of("default"), proposals.refresh().get());
      assertEquals(List.of(Set.of("default"), Set.of("default")), heard);
      assertEquals(proposals.newest("default").orElseThrow().version(), store.newestProposals().get("default"));
      assertEquals(v, proposals.version("default", v).orElseThrow().version(), "an older version is read back");
    }
  }

  @Test
  void aRestartOnTheSameStoreComputesTheSameVersionAndRecordsNothing(@TempDir Path dir) throws Exception {
    TrafficView view = view(1, ProposalCalculatorTest.traffic.edges());
    String first;
    try (SqliteStore store = SqliteStore.open(dir);
        Proposals p = new Proposals(() -> cluster, () -> CompletableFuture.completedFuture(view), store,
            Clock.systemUTC(), Proposals.Settings.defaults("cluster.local"), l -> { })) {
      p.refresh().get();
      first = p.newest("default").orElseThrow().version();
    }
    try (SqliteStore store = SqliteStore.open(dir);
        Proposals p = new Proposals(() -> cluster, () -> CompletableFuture.completedFuture(view), store,
            Clock.systemUTC(), Proposals.Settings.defaults("cluster.local"), l -> { })) {
      p.refresh().get();
      assertEquals(first, p.newest("default").orElseThrow().version());
      assertEquals(0, p.stats().versions());
      assertEquals(1, store.counts().get("proposals"));
    }
  }
}
