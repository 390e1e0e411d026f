package io.meshwarden.sidecar.validate;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import java.util.Map;

/** Our constraints on RBAC configs: policies that can match something, no CEL, ports in range. */
final class RbacChecks {
  private RbacChecks() {}

  static void filter(RBAC rules, RBAC shadow, String path, List<String> errors) {
    if (rules == null && shadow == null) {
      errors.add(path + ": RBAC filter with neither rules nor shadow_rules");
    }
    if (rules != null) {
      rbac(rules, path + ": rules", errors);
    }
    if (shadow != null) {
      rbac(shadow, path + ": shadow_rules", errors);
    }
  }

  private static void rbac(RBAC rbac, String path, List<String> errors) {
    for (Map.Entry<String, Policy> e : rbac.getPoliciesMap().entrySet()) {
      String p = path + " policy " + e.getKey();
      Policy policy = e.getValue();
      if (policy.getPermissionsCount() == 0) {
        errors.add(p + ": no permissions");
      }
      if (policy.getPrincipalsCount() == 0) {
        errors.add(p + ": no principals");
      }
      if (policy.hasCondition() || policy.hasCheckedCondition()) {
        errors.add(p + ": CEL conditions are not allowed (grpc-xds NACKs them)");
      }
      policy.getPermissionsList().forEach(x -> permission(x, p, errors));
    }
  }

  private static void permission(Permission x, String path, List<String> errors) {
    switch (x.getRuleCase()) {
      case DESTINATION_PORT:
        if (x.getDestinationPort() < 1 || x.getDestinationPort() > 65535) {
          errors.add(path + ": destination_port " + x.getDestinationPort() + " out of range");
        }
        break;
      case AND_RULES:
        x.getAndRules().getRulesList().forEach(r -> permission(r, path, errors));
        break;
      case OR_RULES:
        x.getOrRules().getRulesList().forEach(r -> permission(r, path, errors));
        break;
      case NOT_RULE:
        permission(x.getNotRule(), path, errors);
        break;
      default:
        break;
    }
  }

  /** grpc-xds rejects header matchers on {@code grpc-*} and {@code :scheme}. */
  static void forbiddenHeaders(HttpFilter f, String path, List<String> errors) {
    if (!f.getTypedConfig().is(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class)) {
      return;
    }
    try {
      var rbac = f.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class);
      for (Policy p : rbac.getRules().getPoliciesMap().values()) {
        p.getPermissionsList().forEach(x -> headers(x, path, errors));
        p.getPrincipalsList().forEach(x -> headers(x, path, errors));
      }
    } catch (InvalidProtocolBufferException e) {
      errors.add(path + ": unreadable RBAC filter");
    }
  }

  private static void headers(Permission x, String path, List<String> errors) {
    switch (x.getRuleCase()) {
      case HEADER -> header(x.getHeader(), path, errors);
      case AND_RULES -> x.getAndRules().getRulesList().forEach(r -> headers(r, path, errors));
      case OR_RULES -> x.getOrRules().getRulesList().forEach(r -> headers(r, path, errors));
      case NOT_RULE -> headers(x.getNotRule(), path, errors);
      default -> { }
    }
  }

  private static void headers(Principal x, String path, List<String> errors) {
    switch (x.getIdentifierCase()) {
      case HEADER -> header(x.getHeader(), path, errors);
      case AND_IDS -> x.getAndIds().getIdsList().forEach(r -> headers(r, path, errors));
      case OR_IDS -> x.getOrIds().getIdsList().forEach(r -> headers(r, path, errors));
      case NOT_ID -> headers(x.getNotId(), path, errors);
      default -> { }
    }
  }

  private static void header(HeaderMatcher h, String path, List<String> errors) {
    if (h.getName().startsWith("grpc-") || h.getName().equals(":scheme")) {
      errors.add(path + ": grpc-xds rejects header matcher on " + h.getName());
    }
  }
}
