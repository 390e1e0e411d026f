package io.meshwarden.finding;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Lookups detectors share. */
final class Workloads {
  private Workloads() {}

  static Map<String, Workload> byId(ClusterModel model) {
    Map<String, Workload> out = new HashMap<>();
    for (Workload w : model.workloads()) {
      out.put(w.id(), w);
    }
    return out;
  }

  /** {@code ns/name} without the kind, as people say it. */
  static String shortName(Workload w) {
    return w.namespace() + "/" + w.name();
  }

  /** NetworkPolicies that select the workload in one direction. */
  static List<NetworkPolicy> selecting(ClusterModel model, Workload w, boolean ingress) {
    List<NetworkPolicy> out = new ArrayList<>();
    for (NetworkPolicy p : model.networkPolicies()) {
      if (p.namespace().equals(w.namespace()) && (ingress ? p.affectsIngress() : p.affectsEgress())
          && p.podSelector().matches(w.podLabels())) {
        out.add(p);
      }
    }
    return out;
  }
}
