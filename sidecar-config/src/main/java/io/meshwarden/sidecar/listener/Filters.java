package io.meshwarden.sidecar.listener;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Filter;
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
}
