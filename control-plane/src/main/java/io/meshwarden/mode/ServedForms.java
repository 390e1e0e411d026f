package io.meshwarden.mode;

import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.Container;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.ServingMode;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.listener.ServedTranslator;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What one workload is served, as pure functions of the namespace's mode, its proposals and the
 * callers' current addresses. The mode state publishes with these and the xDS snapshot builder
 * builds with these, so the live dry-run judges by exactly what the sidecars hold.
 */
final class ServedForms {
  /** The ALS cluster every served listener logs to; the sidecar bootstrap defines it next to the xDS cluster. */
  static final String ALS_CLUSTER = "meshwarden_als";

  private ServedForms() {}

  /**
   * The layers of one workload. Only a workload with a policy gets one: in dry-run the newest
   * proposal as shadow; in enforce the approved version as rules and the newest as shadow (the
   * approved one again when the newest has no policy for it). A workload the approved version has
   * no policy for is only dry-run in an enforcing namespace: nobody approved restricting it.
   */
  static PolicyLayers layers(ServingMode mode, WorkloadPolicy newest, WorkloadPolicy approved) {
    return switch (mode) {
      case OBSERVE -> PolicyLayers.observe();
      case DRY_RUN -> newest == null ? PolicyLayers.observe() : PolicyLayers.dryRun(newest);
      case ENFORCE -> approved != null ? PolicyLayers.enforce(approved, newest != null ? newest : approved)
          : newest == null ? PolicyLayers.observe() : PolicyLayers.dryRun(newest);
    };
  }

  /**
   * The policy with every workload peer of its ingress rules also admitted by its pods' current
   * addresses (a /32 or /128 each): a plaintext caller has no certificate to show, so its address
   * is all there is. The SPIFFE principal stays for callers under mTLS.
   */
  static WorkloadPolicy withAddresses(WorkloadPolicy p, Function<String, List<String>> podIpsOfWorkload) {
    if (p == null) {
      return null;
    }
    List<PortRule> ingress = new ArrayList<>(p.ingress().size());
    for (PortRule r : p.ingress()) {
      SortedSet<Peer> peers = new TreeSet<>(r.peers());
      for (Peer peer : r.peers()) {
        if (peer.kind() == Peer.Kind.WORKLOAD && peer.workloadId() != null) {
          for (String ip : podIpsOfWorkload.apply(peer.workloadId())) {
            peers.add(Peer.cidr(ip + (ip.indexOf(':') >= 0 ? "/128" : "/32")));
          }
        }
      }
      ingress.add(new PortRule(r.protocol(), r.port(), r.portName(), List.copyOf(peers), r.http(), r.provenance()));
    }
    return new WorkloadPolicy(p.namespace(), p.workloadId(), p.workloadName(), p.podLabels(), p.serviceAccount(),
        ingress, p.egress(), p.ingressScope(), p.egressScope(), p.flowsIn(), p.flowsOut());
  }

  /** The resources of one workload in the Envoy or the proxyless-gRPC form. */
  static ServedResources resources(String workloadId, Workload w, boolean grpc, PolicyLayers layers,
      TranslatorOptions options) {
    if (!grpc) {
      return ServedTranslator.envoy(workloadId, layers, options, ALS_CLUSTER);
    }
    SortedSet<Integer> ports = new TreeSet<>();
    if (w != null) {
      for (Container c : w.containers()) {
        for (ContainerPort p : c.ports()) {
          if (p.protocol() == Protocol.TCP) {
            ports.add(p.port());
          }
        }
      }
    }
    return ServedTranslator.grpc(workloadId, ports, layers, options);
  }
}
