package io.meshwarden.mode;

import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.model.Workload;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.xds.GroupKey;
import io.meshwarden.xds.SnapshotBuilder;
import io.meshwarden.xds.WorkloadLookup;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The xDS side of the mode state: a node's pod → its workload from the live index, and a group's
 * resources from the namespace's published {@link NamespaceModes.Serving} with the same functions
 * the published {@code ServedNamespace} was made with. Pure reads; safe from any thread.
 */
public final class ServedSnapshots implements SnapshotBuilder, WorkloadLookup {
  private final Supplier<ClusterSnapshot> cluster;
  private final NamespaceModes modes;
  private final TranslatorOptions options;
  /** Pod → workload name per namespace, rebuilt once per cluster snapshot version. */
  private final AtomicReference<PodIndex> pods = new AtomicReference<>(new PodIndex(-1, Map.of()));

  private record PodIndex(long version, Map<String, Workload> byPod) {}

  public ServedSnapshots(Supplier<ClusterSnapshot> cluster, NamespaceModes modes, TranslatorOptions options) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.modes = Objects.requireNonNull(modes, "modes");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public Optional<String> workloadOfPod(String namespace, String pod) {
    return Optional.ofNullable(pods().get(namespace + "/" + pod)).map(Workload::name);
  }

  @Override
  public ServedResources build(GroupKey group) {
    ClusterSnapshot snap = cluster.get();
    Workload w = null;
    for (Workload x : snap.model().workloads()) {
      if (x.namespace().equals(group.namespace()) && x.name().equals(group.workload())
          && (w == null || x.id().compareTo(w.id()) < 0)) {
        w = x;
      }
    }
    if (w == null) {
      // The pod's workload left the index since the stream opened: nothing to restrict by.
      String id = group.namespace() + "/" + group.workload();
      return ServedForms.resources(id, null, group.form() == GroupKey.Form.GRPC, PolicyLayers.observe(), options);
    }
    Workload found = w;
    boolean grpc = group.form() == GroupKey.Form.GRPC;
    if (grpc) {
      modes.usesGrpc(found);
    }
    PolicyLayers layers = modes.serving(found.namespace()).map(s -> s.layersOf(found.id()))
        .orElse(PolicyLayers.observe());
    return ServedForms.resources(found.id(), found, grpc, layers, options);
  }

  private Map<String, Workload> pods() {
    ClusterSnapshot snap = cluster.get();
    PodIndex idx = pods.get();
    if (idx.version() != snap.version()) {
      Map<String, Workload> byPod = new HashMap<>();
      for (Workload w : snap.model().workloads()) {
        for (String pod : snap.status(w).podNames()) {
          byPod.put(w.namespace() + "/" + pod, w);
        }
      }
      idx = new PodIndex(snap.version(), Map.copyOf(byPod));
      pods.set(idx);
    }
    return idx.byPod();
  }
}
