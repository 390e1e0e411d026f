package io.meshwarden.mode;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.meshwarden.aggregate.TrafficView;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.ManifestSource;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.ingest.traffic.TrafficLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.proposal.Proposals;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.store.SqliteStore;
import io.meshwarden.traffic.TrafficModel;
import io.meshwarden.verdict.DryRunVerdicts;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Online Boutique's manifests and recorded flows behind the real proposal and mode state, with a
 * live dry-run test double whose would-deny counts a test sets per (namespace, version).
 */
public final class Boutique implements AutoCloseable {
  public static final String M = "../manifests/examples/online-boutique/";
  public static final List<String> MANIFESTS = List.of(M + "upstream/release/kubernetes-manifests.yaml",
      M + "flows/endpointslices.yaml");
  public static final String FLOWS = M + "flows/envoy-inbound-access-log.jsonl";

  public final LiveIndex index = new LiveIndex(LiveIndex.Options.defaults());
  public final SqliteStore store;
  public final Proposals proposals;
  public final NamespaceModes modes;
  public final Map<String, Long> wouldDeny = new ConcurrentHashMap<>();
  public final List<String> log = Collections.synchronizedList(new ArrayList<>());
  public final AtomicReference<TrafficView> traffic = new AtomicReference<>();

  /**
   * Test double of the live dry-run: would-deny counts set by the test, keyed {@code ns/version};
   * a version is judged (10 flows more than it would deny) once it is the namespace's dry-run pin,
   * as the live dry-run judges only what is served.
   */
  final DryRunVerdicts verdicts = new DryRunVerdicts() {
    @Override
    public long wouldDeny(String ns, String version) {
      return wouldDeny.getOrDefault(ns + "/" + version, 0L);
    }

    @Override
    public long judged(String ns, String version) {
      boolean pinned = modes != null && modes.serving(ns).map(s -> s.pin() != null && s.pin().version().equals(version))
          .orElse(false);
      return (pinned ? 10 : 0) + wouldDeny(ns, version);
    }
  };

  public Boutique(Path stateDir, String modeLabel) throws Exception {
    ManifestSource.load(index, MANIFESTS, "default", java.io.InputStream.nullInputStream());
    label(modeLabel);
    ClusterModel offline = new ManifestLoader(false).load(MANIFESTS).model();
    TrafficModel t = TrafficLoader.load(List.of(FLOWS), offline, TrafficLoader.Options.defaults()).traffic();
    traffic.set(new TrafficView(1, t, Map.of()));
    store = SqliteStore.open(stateDir);
    proposals = new Proposals(index::current, () -> CompletableFuture.completedFuture(traffic.get()), store,
        Clock.systemUTC(), Proposals.Settings.defaults("cluster.local"), log::add);
    modes = new NamespaceModes(index::current, proposals, store, verdicts, TranslatorOptions.DEFAULTS,
        Clock.systemUTC(), log::add);
    proposals.onNewVersions(modes::refresh);
    proposals.refresh().get(30, TimeUnit.SECONDS);
    modes.refreshAll();
  }

  /** Sets (or with null removes) the {@code meshwarden.io/mode} label of namespace default and republishes. */
  public void label(String value) throws Exception {
    NamespaceBuilder ns = new NamespaceBuilder().withNewMetadata().withName("default")
        .addToLabels("kubernetes.io/metadata.name", "default").endMetadata();
    if (value != null) {
      ns.editMetadata().addToLabels(NamespaceModes.LABEL, value).endMetadata();
    }
    index.apply(ns.build());
    index.flush().get(10, TimeUnit.SECONDS);
    if (modes != null) {
      modes.refreshAll();
    }
  }

  /**
   * The frontend calls paymentservice's {@code Charge} (only checkout does): an edge copied from
   * checkout's, learned as a new traffic version; waits until the proposals have recomputed.
   *
   * @return the new newest version
   */
  public String intrude() throws Exception {
    TrafficView before = traffic.get();
    io.meshwarden.traffic.ObservedEdge charge = before.traffic().edges().stream()
        .filter(e -> e.key().destination().id().equals("default/Deployment/paymentservice")
            && e.key().source().id().equals("default/Deployment/checkoutservice"))
        .findFirst().orElseThrow();
    io.meshwarden.traffic.EdgeKey k = charge.key();
    if (before.traffic().edges().stream().anyMatch(e -> e.key().source().id().equals("default/Deployment/frontend")
        && e.key().destination().equals(k.destination()) && e.key().port() == k.port())) {
      return version();
    }
    List<io.meshwarden.traffic.ObservedEdge> edges = new ArrayList<>(before.traffic().edges());
    edges.add(new io.meshwarden.traffic.ObservedEdge(new io.meshwarden.traffic.EdgeKey(
        io.meshwarden.traffic.PeerRef.workload("default/Deployment/frontend"), k.destination(), k.protocol(), k.port(),
        k.method(), k.pathTemplate()), charge.stats()));
    edges.sort(java.util.Comparator.comparing(io.meshwarden.traffic.ObservedEdge::key));
    TrafficModel t = before.traffic();
    traffic.set(new TrafficView(before.version() + 1, new TrafficModel(edges, t.flowsRead() + charge.stats().count(),
        t.badRecords(), t.badRecordCount(), t.unresolved()), Map.of()));
    proposals.refresh().get(30, TimeUnit.SECONDS);
    return version();
  }

  public String version() {
    return proposals.newest("default").orElseThrow().version();
  }

  @Override
  public void close() {
    proposals.close();
    index.close();
    store.close();
  }
}
