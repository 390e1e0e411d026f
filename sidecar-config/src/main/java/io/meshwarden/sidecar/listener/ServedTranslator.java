package io.meshwarden.sidecar.listener;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.rbac.RbacTranslator;
import io.meshwarden.sidecar.rbac.RbacTranslator.PortPolicies;
import io.meshwarden.sidecar.route.RouteConfigs;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The form meshwarden serves over ADS, per mode ({@link PolicyLayers}): HTTP policy travels in RDS
 * as {@code RBACPerRoute} on the virtual host, behind an empty RBAC filter in the listener, so a
 * policy change, or a change of mode, rewrites route configurations and leaves listeners (and their
 * connections) alone. TCP ports keep network RBAC in the listener (there is no per-route form).
 * Pure and deterministic; the result must pass {@code ResourceValidator.validateServed}. Stateless.
 *
 * <p>Envoy sidecar: the inbound listener of {@link EnvoyTranslator} with every filter chain logging
 * to the ALS sink. In OBSERVE it has only the pass-through default chain. Ports no rule names fall to
 * the default chain: denied where rules are enforced, counted as shadow denials where a proposal is.
 *
 * <p>Proxyless gRPC: one listener per serving port; grpc-xds ignores {@code shadow_rules}, so
 * DRY_RUN allows everything there and the dry-run verdicts come from our evaluator.
 */
public final class ServedTranslator {
  /** The stat prefix of shadow (dry-run) RBAC, fixed so that ALS metadata keys are known. */
  public static final String SHADOW_STAT_PREFIX = TranslatorOptions.DEFAULTS.shadowStatPrefix();

  private ServedTranslator() {}

  /** Name of the route configuration of inbound HTTP port {@code port}. */
  public static String envoyRouteName(int port) {
    return "inbound|" + port;
  }

  /** Name of the route configuration of the gRPC server on {@code port}. */
  public static String grpcRouteName(int port) {
    return "grpc|" + port;
  }

  /**
   * A sidecar's inbound listener, routes and local clusters.
   *
   * @param alsCluster the cluster (defined in the sidecar bootstrap, next to the xDS cluster) that
   *     access logs stream to
   */
  public static ServedResources envoy(String workloadId, PolicyLayers layers, TranslatorOptions options,
      String alsCluster) {
    Objects.requireNonNull(alsCluster, "alsCluster");
    List<String> notes = new ArrayList<>();
    Listener.Builder listener = Listener.newBuilder()
        .setName(EnvoyTranslator.INBOUND_LISTENER)
        .setAddress(Clusters.socket("0.0.0.0", options.inboundPort()))
        .setTrafficDirection(TrafficDirection.INBOUND)
        .addListenerFilters(ListenerFilter.newBuilder().setName("envoy.filters.listener.original_dst")
            .setTypedConfig(Any.pack(OriginalDst.getDefaultInstance())));
    List<RouteConfiguration> routes = new ArrayList<>();
    List<Cluster> clusters = new ArrayList<>();
    for (Port p : ports(layers, RbacTranslator.Form.ENVOY, options, notes)) {
      String stat = "inbound_" + p.port;
      FilterChain.Builder chain = FilterChain.newBuilder().setName("inbound|" + p.port)
          .setFilterChainMatch(FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(p.port)));
      String cluster = Clusters.inboundName(p.port);
      if (p.http) {
        chain.addFilters(Filters.hcmRds(stat, envoyRouteName(p.port), alsCluster));
        routes.add(withRbac(RouteConfigs.inbound(p.port, cluster), p, options));
      } else {
        add(chain, Filters.networkRbac(p.rules(), p.shadow(), options, stat));
        chain.addFilters(Filters.tcpProxy(stat, cluster, alsCluster));
      }
      listener.addFilterChains(chain);
      clusters.add(Clusters.inbound(p.port, options.localAddress(), p.http));
    }
    // An ALLOW RBAC with no policies denies everything (or, as shadow rules, counts it).
    RBAC none = RbacTranslator.allow(new TreeMap<>());
    FilterChain.Builder fallback = FilterChain.newBuilder().setName("inbound|passthrough");
    add(fallback, Filters.networkRbac(layers.rules() != null ? none : null, layers.shadow() != null ? none : null,
        options, "inbound_passthrough"));
    fallback.addFilters(Filters.tcpProxy("inbound_passthrough", Clusters.PASSTHROUGH, alsCluster));
    listener.setDefaultFilterChain(fallback);
    clusters.add(Clusters.passthrough());
    return new ServedResources(workloadId, List.of(listener.build()), routes, clusters, notes);
  }

  /**
   * A proxyless gRPC server's listeners and routes: one per port in {@code servingPorts} and per port
   * a layer names (a gRPC server that finds no listener for its port does not start serving).
   */
  public static ServedResources grpc(String workloadId, Collection<Integer> servingPorts, PolicyLayers layers,
      TranslatorOptions options) {
    List<String> notes = new ArrayList<>();
    SortedMap<Integer, Port> byPort = new TreeMap<>();
    for (int port : servingPorts) {
      byPort.put(port, new Port(port, false, null, null));
    }
    for (Port p : ports(layers, RbacTranslator.Form.GRPC, options, notes)) {
      byPort.put(p.port, p);
    }
    RBAC none = RbacTranslator.allow(new TreeMap<>());
    List<Listener> listeners = new ArrayList<>();
    List<RouteConfiguration> routes = new ArrayList<>();
    for (Port declared : byPort.values()) {
      // A serving port no rule names: nothing allowed there where rules are enforced.
      Port p = declared.rulesPolicies == null && declared.shadowPolicies == null && layers.shadow() != null
          ? new Port(declared.port, false, layers.rules() != null ? new TreeMap<>() : null, new TreeMap<>())
          : declared;
      listeners.add(Listener.newBuilder()
          .setName(GrpcTranslator.listenerName(p.port))
          .setAddress(Clusters.socket("0.0.0.0", p.port))
          .setTrafficDirection(TrafficDirection.INBOUND)
          .addFilterChains(FilterChain.newBuilder().setName("grpc|" + p.port)
              .addFilters(Filters.hcmRds("grpc_inbound_" + p.port, grpcRouteName(p.port), null)))
          .build());
      RouteConfiguration base = RouteConfigs.grpcServer(p.port);
      routes.add(layers.shadow() == null ? base : withRbac(base, p, options));
      if (!p.http && (p.rulesPolicies != null || p.shadowPolicies != null) && !p.policiesEmpty()) {
        notes.add("0.0.0.0:" + p.port + ": L4-only rules; any method of an allowed peer is allowed");
      }
    }
    return new ServedResources(workloadId, listeners, routes, List.of(), notes);
  }

  private static RouteConfiguration withRbac(RouteConfiguration base, Port p, TranslatorOptions options) {
    if (p.rulesPolicies == null && p.shadowPolicies == null) {
      return base;
    }
    RouteConfiguration.Builder b = base.toBuilder();
    b.getVirtualHostsBuilderList().forEach(vh -> vh.putTypedPerFilterConfig(Filters.HTTP_RBAC,
        Filters.rbacPerRoute(p.rules(), p.shadow(), options)));
    return b.build();
  }

  private static void add(FilterChain.Builder chain, Filter f) {
    if (f != null) {
      chain.addFilters(f);
    }
  }

  /**
   * The ports either layer names, each with both layers' policies. A port one layer names and the
   * other does not gets an empty policy map in the other (ALLOW nothing), so neither layer widens.
   */
  private static List<Port> ports(PolicyLayers layers, RbacTranslator.Form form, TranslatorOptions options,
      List<String> notes) {
    SortedMap<Integer, PortPolicies> rules = byPort(layers.rules(), form, options, notes);
    SortedMap<Integer, PortPolicies> shadow = byPort(layers.shadow(), form, options, notes);
    TreeMap<Integer, Port> out = new TreeMap<>();
    for (int port : union(rules, shadow)) {
      PortPolicies r = rules.get(port);
      PortPolicies s = shadow.get(port);
      boolean http = (r != null && r.http()) || (s != null && s.http());
      out.put(port, new Port(port, http,
          layers.rules() == null ? null : r != null ? r.policies() : new TreeMap<>(),
          layers.shadow() == null ? null : s != null ? s.policies() : new TreeMap<>()));
    }
    return List.copyOf(out.values());
  }

  private static java.util.SortedSet<Integer> union(SortedMap<Integer, ?> a, SortedMap<Integer, ?> b) {
    java.util.SortedSet<Integer> s = new java.util.TreeSet<>(a.keySet());
    s.addAll(b.keySet());
    return s;
  }

  private static SortedMap<Integer, PortPolicies> byPort(WorkloadPolicy policy, RbacTranslator.Form form,
      TranslatorOptions options, List<String> notes) {
    SortedMap<Integer, PortPolicies> out = new TreeMap<>();
    if (policy != null) {
      for (PortPolicies p : RbacTranslator.ingress(policy, form, options, notes)) {
        out.put(p.port(), p);
      }
    }
    return out;
  }

  /** One port: null policies = the layer is absent in this mode; empty = the layer allows nothing here. */
  private record Port(int port, boolean http, SortedMap<String, Policy> rulesPolicies,
      SortedMap<String, Policy> shadowPolicies) {
    RBAC rules() {
      return rulesPolicies == null ? null : RbacTranslator.allow(rulesPolicies);
    }

    RBAC shadow() {
      return shadowPolicies == null ? null : RbacTranslator.allow(shadowPolicies);
    }

    boolean policiesEmpty() {
      return (rulesPolicies == null || rulesPolicies.isEmpty()) && (shadowPolicies == null || shadowPolicies.isEmpty());
    }
  }
}
