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

  /** Test double of the live dry-run: would-deny counts set by the test, keyed {@code ns/version}. */
  final DryRunVerdicts verdicts = new DryRunVerdicts() {
    @Override
    public long wouldDeny(String ns, String version) {
      return wouldDeny.getOrDefault(ns + "/" + version, 0L);
    }

    @Override
    public long judged(String ns, String version) {
      return 10 + wouldDeny(ns, version);
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
