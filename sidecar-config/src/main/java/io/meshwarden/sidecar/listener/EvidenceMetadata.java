package io.meshwarden.sidecar.listener;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.meshwarden.synthesis.WorkloadPolicy;

/**
 * The evidence of a workload's policy as listener metadata ({@code filter_metadata["meshwarden.io"]}),
 * so that the Envoy forms carry what the YAML forms carry in annotations: the workload, its observed
 * flows, and how far its ingress is restricted and by which source. Envoy ignores it. Stateless.
 */
final class EvidenceMetadata {
  static final String KEY = "meshwarden.io";

  private EvidenceMetadata() {}

  static Metadata of(WorkloadPolicy p) {
    Struct.Builder s = Struct.newBuilder()
        .putFields("workload", text(p.workloadId()))
        .putFields("observed_flows", text(p.flowsIn() + " in, " + p.flowsOut() + " out"))
        .putFields("ingress_scope", text(p.ingressScope().extent() + ": " + p.ingressScope().why()));
    return Metadata.newBuilder().putFilterMetadata(KEY, s.build()).build();
  }

  private static Value text(String v) {
    return Value.newBuilder().setStringValue(v).build();
  }
}
