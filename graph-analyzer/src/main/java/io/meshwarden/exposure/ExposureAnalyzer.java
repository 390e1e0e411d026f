package io.meshwarden.exposure;

import io.meshwarden.connectivity.Connection;
import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.Focus;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Exposure analysis, with np-guard netpol-analyzer's semantics: for each workload and direction,
 * whether any policy protects it, what it allows to or from the entire cluster, what it allows
 * beyond that to representative peers, and (for workloads that show up at all) its external
 * connections.
 */
public final class ExposureAnalyzer {
  private ExposureAnalyzer() {}

  /** Whether exposure can be reported under this focus: not when both workloads and their peers are given. */
  public static boolean applies(Focus focus) {
    return focus.workloads().isEmpty() || focus.peers().isEmpty();
  }

  /**
   * Analyses {@code connectivity}, which must come from
   * {@code ConnectivityAnalyzer.analyze(model, true)}; the focus narrows workloads, direction and
   * port as it does the connectivity list.
   */
  public static ExposureReport analyze(ClusterModel model, Connectivity connectivity, Focus focus) {
    List<Connection> connections = connectivity.connections().stream().filter(focus::keeps).toList();
    return analyze(model, connectivity, focus, connections);
  }

  /** As {@link #analyze(ClusterModel, Connectivity, Focus)}, reusing the already focused connectivity list. */
  public static ExposureReport analyze(ClusterModel model, Connectivity connectivity, Focus focus,
      List<Connection> focusedConnections) {
    if (!applies(focus)) {
      throw new IllegalArgumentException("exposure analysis does not apply to a focus on workload peers");
    }
    Focus.FocusConnection fc = focus.connection();
    ConnectionSet fcSet = fc == null ? null : ConnectionSet.port(fc.protocol(), fc.port());
    List<ExposureReport.Item> egress = new ArrayList<>();
    List<ExposureReport.Item> ingress = new ArrayList<>();
    List<ExposureReport.Unprotected> unprotected = new ArrayList<>();
    Set<Workload> exposed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Workload w : model.workloads()) {
      if (!focus.selects(w)) {
        continue;
      }
      for (boolean in : new boolean[] {false, true}) {
        if (focus.direction() != null && !focus.direction().equals(in ? "ingress" : "egress")) {
          continue;
        }
        List<ExposureReport.Item> items = in ? ingress : egress;
        if (!connectivity.isProtected(w, in)) {
          items.add(new ExposureReport.Item(w, null, ConnectionSet.ALL));
          unprotected.add(new ExposureReport.Unprotected(w, in));
          exposed.add(w);
          continue;
        }
        int before = items.size();
        addProtected(connectivity, w, in, fcSet, items);
        if (items.size() > before) {
          exposed.add(w);
        }
      }
    }
    // External connections are exposure too, but np-guard lists them only for workloads that
    // already have an entry in either direction.
    for (Connection c : focusedConnections) {
      if (c.src() instanceof Peer.ExternalPeer && c.dst() instanceof Peer.WorkloadPeer d && exposed.contains(d.workload())) {
        ingress.add(new ExposureReport.Item(d.workload(), c.src(), c.allowed()));
      } else if (c.dst() instanceof Peer.ExternalPeer && c.src() instanceof Peer.WorkloadPeer s
          && exposed.contains(s.workload())) {
        egress.add(new ExposureReport.Item(s.workload(), c.dst(), c.allowed()));
      }
    }
    Comparator<ExposureReport.Item> order = Comparator.comparing(ExposureReport.Item::workloadName)
        .thenComparing(ExposureReport.Item::peerName);
    egress.sort(order);
    ingress.sort(order);
    unprotected.sort(Comparator.comparing(ExposureReport.Unprotected::toString));
    return new ExposureReport(egress, ingress, unprotected);
  }

  private static void addProtected(Connectivity connectivity, Workload w, boolean in, ConnectionSet fcSet,
      List<ExposureReport.Item> items) {
    ConnectionSet general = connectivity.entireCluster(w, in);
    ConnectionSet shownGeneral = general;
    if (fcSet != null && !general.isEmpty() && general.containsAll(fcSet)) {
      shownGeneral = fcSet;
    }
    if (!general.isEmpty() && (fcSet == null || shownGeneral == fcSet)) {
      items.add(new ExposureReport.Item(w, null, shownGeneral));
    }
    Peer self = new Peer.WorkloadPeer(w);
    for (Peer.RepresentativePeer rep : connectivity.representatives()) {
      ConnectionSet conn = in ? connectivity.allowed(rep, self) : connectivity.allowed(self, rep);
      if (fcSet != null) {
        if (!conn.containsAll(fcSet)) {
          continue;
        }
        conn = fcSet;
      }
      // Only what differs from the entire-cluster exposure is news, including "nothing at all"
      // when the cluster is open but these pods are shut out.
      if (general.isEmpty() ? conn.isEmpty() : conn.equals(shownGeneral)) {
        continue;
      }
      items.add(new ExposureReport.Item(w, rep, conn));
    }
  }
}
