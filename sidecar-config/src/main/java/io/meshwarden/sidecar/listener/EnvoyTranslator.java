package io.meshwarden.sidecar.listener;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.meshwarden.sidecar.Mode;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.WorkloadResources;
import io.meshwarden.sidecar.rbac.RbacTranslator.PortPolicies;
import io.meshwarden.sidecar.rbac.RbacTranslator;
import io.meshwarden.sidecar.route.RouteConfigs;
import io.meshwarden.synthesis.Scope;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Translates one workload's policy into its sidecar's inbound Listener and local clusters. Pure and
 * deterministic; the result must pass {@code ResourceValidator} before it is served. Stateless.
 *
 * <p>Ports no rule names fall to the default filter chain. When the policy's ingress scope covers
 * every port, its network RBAC allows nothing there: ENFORCE closes those connections and counts
 * them as denials; DRY_RUN forwards them to their original port and counts them as shadow denials.
 * When the evidence covered only some ports (or none), the default chain forwards without RBAC:
 * what no source watched stays open. A workload with no ingress at all still gets a valid listener.
 */
public final class EnvoyTranslator {
  /** The listener every sidecar's redirected inbound traffic lands on (Istio's name). */
  public static final String INBOUND_LISTENER = "virtualInbound";

  private EnvoyTranslator() {}

  public static WorkloadResources translate(WorkloadPolicy policy, Mode mode, TranslatorOptions options) {
    List<String> notes = new ArrayList<>();
    List<PortPolicies> ports = RbacTranslator.ingress(policy, RbacTranslator.Form.ENVOY, options, notes);
    Listener.Builder listener = Listener.newBuilder()
        .setName(INBOUND_LISTENER)
        .setAddress(Clusters.socket("0.0.0.0", options.inboundPort()))
        .setTrafficDirection(TrafficDirection.INBOUND)
        .setMetadata(EvidenceMetadata.of(policy))
        // iptables redirects every port to one listener; original_dst restores the port chains match on.
        .addListenerFilters(ListenerFilter.newBuilder().setName("envoy.filters.listener.original_dst")
            .setTypedConfig(Any.pack(OriginalDst.getDefaultInstance())));
    List<Cluster> clusters = new ArrayList<>();
    for (PortPolicies p : ports) {
      listener.addFilterChains(p.http() ? httpChain(p, mode, options) : tcpChain(p, mode, options));
      clusters.add(Clusters.inbound(p.port(), options.localAddress(), p.http()));
    }
    FilterChain.Builder passthrough = FilterChain.newBuilder().setName("inbound|passthrough");
    if (policy.ingressScope().extent() == Scope.Extent.ALL) {
      // An ALLOW RBAC with no policies denies everything (or, as shadow rules, counts it).
      RBAC none = RbacTranslator.allow(new TreeMap<>());
      passthrough.addFilters(Filters.networkRbac(none, mode, options, "inbound_passthrough"));
    } else {
      // The evidence covered only some ports (or none): the others stay open, as the proposal says.
      notes.add(policy.workloadId() + ": ports without a rule stay open: " + policy.ingressScope().why());
    }
    listener.setDefaultFilterChain(passthrough
        .addFilters(Filters.tcpProxy("inbound_passthrough", Clusters.PASSTHROUGH)));
    clusters.add(Clusters.passthrough());
    return new WorkloadResources(policy.workloadId(), List.of(listener.build()), clusters, notes);
  }

  private static FilterChain httpChain(PortPolicies p, Mode mode, TranslatorOptions options) {
    String stat = "inbound_" + p.port();
    return chain(p.port())
        .addFilters(Filters.hcm(stat, RouteConfigs.inbound(p.port(), Clusters.inboundName(p.port())),
            Filters.httpRbac(RbacTranslator.allow(p.policies()), mode, options)))
        .build();
  }

  private static FilterChain tcpChain(PortPolicies p, Mode mode, TranslatorOptions options) {
    String stat = "inbound_" + p.port();
    return chain(p.port())
        .addFilters(Filters.networkRbac(RbacTranslator.allow(p.policies()), mode, options, stat))
        .addFilters(Filters.tcpProxy(stat, Clusters.inboundName(p.port())))
        .build();
  }

  private static FilterChain.Builder chain(int port) {
    return FilterChain.newBuilder()
        .setName("inbound|" + port)
        .setFilterChainMatch(FilterChainMatch.newBuilder().setDestinationPort(com.google.protobuf.UInt32Value.of(port)));
  }
}
