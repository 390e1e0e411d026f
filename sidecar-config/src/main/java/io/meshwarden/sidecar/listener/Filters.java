package io.meshwarden.sidecar.listener;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.CommonGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.meshwarden.sidecar.Mode;
import io.meshwarden.sidecar.TranslatorOptions;

/** Typed filter configs, each packed into an Any under its well-known name. */
final class Filters {
  static final String HTTP_GRPC_ACCESS_LOG = "envoy.access_loggers.http_grpc";
  static final String TCP_GRPC_ACCESS_LOG = "envoy.access_loggers.tcp_grpc";
  static final String HCM = "envoy.filters.network.http_connection_manager";
  static final String HTTP_RBAC = "envoy.filters.http.rbac";
  static final String ROUTER = "envoy.filters.http.router";
  static final String NETWORK_RBAC = "envoy.filters.network.rbac";
  static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";

  private Filters() {}

  /** ENFORCE: rules. DRY_RUN: the same RBAC as shadow rules only, so nothing is denied. */
  static HttpFilter httpRbac(RBAC rbac, Mode mode, TranslatorOptions options) {
    var b = io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder();
    if (mode == Mode.ENFORCE) {
      b.setRules(rbac);
    } else {
      b.setShadowRules(rbac).setShadowRulesStatPrefix(options.shadowStatPrefix());
    }
    return HttpFilter.newBuilder().setName(HTTP_RBAC).setTypedConfig(Any.pack(b.build())).build();
  }

  static HttpFilter router() {
    return HttpFilter.newBuilder().setName(ROUTER).setTypedConfig(Any.pack(Router.getDefaultInstance())).build();
  }

  static Filter networkRbac(RBAC rbac, Mode mode, TranslatorOptions options, String statPrefix) {
    var b = io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder().setStatPrefix(statPrefix);
    if (mode == Mode.ENFORCE) {
      b.setRules(rbac);
    } else {
      b.setShadowRules(rbac).setShadowRulesStatPrefix(options.shadowStatPrefix());
    }
    return Filter.newBuilder().setName(NETWORK_RBAC).setTypedConfig(Any.pack(b.build())).build();
  }

  static Filter tcpProxy(String statPrefix, String cluster) {
    return Filter.newBuilder().setName(TCP_PROXY)
        .setTypedConfig(Any.pack(TcpProxy.newBuilder().setStatPrefix(statPrefix).setCluster(cluster).build()))
        .build();
  }

  /** RBAC first, router last: Envoy runs HTTP filters in order and the router ends the chain. */
  static Filter hcm(String statPrefix, RouteConfiguration routes, HttpFilter rbac) {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix(statPrefix)
        .setCodecType(HttpConnectionManager.CodecType.AUTO)
        .setRouteConfig(routes)
        .addHttpFilters(rbac)
        .addHttpFilters(router())
        .build();
    return Filter.newBuilder().setName(HCM).setTypedConfig(Any.pack(hcm)).build();
  }

  /**
   * The served form's HTTP RBAC filter: empty, so it allows everything until a route's
   * {@code RBACPerRoute} (RDS) says otherwise. A policy change then touches RDS only and never drains
   * the listener.
   */
  static HttpFilter httpRbacBase() {
    return HttpFilter.newBuilder().setName(HTTP_RBAC)
        .setTypedConfig(Any.pack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDefaultInstance()))
        .build();
  }

  /** The per-route override carrying the layers; {@code rules} or {@code shadow} may be null (absent). */
  static Any rbacPerRoute(RBAC rules, RBAC shadow, TranslatorOptions options) {
    var b = io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder();
    if (rules != null) {
      b.setRules(rules);
    }
    if (shadow != null) {
      b.setShadowRules(shadow).setShadowRulesStatPrefix(options.shadowStatPrefix());
    }
    return Any.pack(RBACPerRoute.newBuilder().setRbac(b).build());
  }

  /** Network RBAC with both layers, each optional; null when neither is present (observe). */
  static Filter networkRbac(RBAC rules, RBAC shadow, TranslatorOptions options, String statPrefix) {
    if (rules == null && shadow == null) {
      return null;
    }
    var b = io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder().setStatPrefix(statPrefix);
    if (rules != null) {
      b.setRules(rules);
    }
    if (shadow != null) {
      b.setShadowRules(shadow).setShadowRulesStatPrefix(options.shadowStatPrefix());
    }
    return Filter.newBuilder().setName(NETWORK_RBAC).setTypedConfig(Any.pack(b.build())).build();
  }

  /** tcp_proxy that logs every connection to the ALS sink when {@code alsCluster} is set. */
  static Filter tcpProxy(String statPrefix, String cluster, String alsCluster) {
    TcpProxy.Builder b = TcpProxy.newBuilder().setStatPrefix(statPrefix).setCluster(cluster);
    if (alsCluster != null) {
      b.addAccessLog(AccessLog.newBuilder().setName(TCP_GRPC_ACCESS_LOG).setTypedConfig(Any.pack(
          TcpGrpcAccessLogConfig.newBuilder().setCommonConfig(alsCommon(statPrefix, alsCluster)).build())));
    }
    return Filter.newBuilder().setName(TCP_PROXY).setTypedConfig(Any.pack(b.build())).build();
  }

  /** An HTTP connection manager whose routes come over ADS (RDS) under {@code routeName}; RBAC, router last. */
  static Filter hcmRds(String statPrefix, String routeName, String alsCluster) {
    HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix(statPrefix)
        .setCodecType(HttpConnectionManager.CodecType.AUTO)
        .setRds(Rds.newBuilder().setRouteConfigName(routeName)
            .setConfigSource(ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3)))
        .addHttpFilters(httpRbacBase())
        .addHttpFilters(router());
    if (alsCluster != null) {
      hcm.addAccessLog(AccessLog.newBuilder().setName(HTTP_GRPC_ACCESS_LOG).setTypedConfig(Any.pack(
          HttpGrpcAccessLogConfig.newBuilder().setCommonConfig(alsCommon(statPrefix, alsCluster)).build())));
    }
    return Filter.newBuilder().setName(HCM).setTypedConfig(Any.pack(hcm.build())).build();
  }

  private static CommonGrpcAccessLogConfig alsCommon(String logName, String alsCluster) {
    return CommonGrpcAccessLogConfig.newBuilder()
        .setLogName(logName)
        .setTransportApiVersion(ApiVersion.V3)
        .setGrpcService(GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder()
            .setClusterName(alsCluster)))
        .build();
  }
}
