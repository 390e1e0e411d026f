package io.meshwarden.sidecar.listener;

import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.meshwarden.sidecar.Mode;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.WorkloadResources;
import io.meshwarden.sidecar.rbac.RbacTranslator.PortPolicies;
import io.meshwarden.sidecar.rbac.RbacTranslator;
import io.meshwarden.sidecar.route.RouteConfigs;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates one workload's policy into the Listeners proxyless gRPC servers (grpc-xds) fetch, one
 * per port: named {@code grpc/server?xds.resource.listening_address=0.0.0.0:PORT}, bound to exactly
 * that address, with an inline non-forwarding route and RBAC before the router. Stateless.
 *
 * <p>grpc-xds ignores {@code shadow_rules}: a DRY_RUN listener allows everything there, and the
 * dry-run verdicts come from {@code rbac.eval} replaying traffic, not from the server.
 */
public final class GrpcTranslator {
  /** grpc-java's default server listener resource name template. */
  public static final String NAME_TEMPLATE = "grpc/server?xds.resource.listening_address=%s";

  private GrpcTranslator() {}

  public static WorkloadResources translate(WorkloadPolicy policy, Mode mode, TranslatorOptions options) {
    List<String> notes = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    for (PortPolicies p : RbacTranslator.ingress(policy, RbacTranslator.Form.GRPC, options, notes)) {
      String address = "0.0.0.0:" + p.port();
      String stat = "grpc_inbound_" + p.port();
      listeners.add(Listener.newBuilder()
          .setName(listenerName(p.port()))
          .setAddress(Clusters.socket("0.0.0.0", p.port()))
          .setTrafficDirection(TrafficDirection.INBOUND)
          .setMetadata(EvidenceMetadata.of(policy))
          .addFilterChains(FilterChain.newBuilder().setName("grpc|" + p.port())
              .addFilters(Filters.hcm(stat, RouteConfigs.grpcServer(p.port()),
                  Filters.httpRbac(RbacTranslator.allow(p.policies()), mode, options))))
          .build());
      if (!p.http()) {
        notes.add(address + ": L4-only rules; any method of an allowed peer is allowed");
      }
    }
    return new WorkloadResources(policy.workloadId(), listeners, List.of(), notes);
  }

  /** The resource name a grpc-xds server on {@code port} asks for. */
  public static String listenerName(int port) {
    return String.format(NAME_TEMPLATE, "0.0.0.0:" + port);
  }
}
