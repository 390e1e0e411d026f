package io.meshwarden.sidecar.rbac;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;

/** The only place that nests RBAC protos (Istio keeps this in permission.go / principal.go). */
final class Protos {
  private Protos() {}

  static Permission permissionAnd(List<Permission> rules) {
    // A single rule needs no wrapper; Envoy treats and_rules of one the same, reviewers read it easier.
    if (rules.size() == 1) {
      return rules.get(0);
    }
    return Permission.newBuilder().setAndRules(Permission.Set.newBuilder().addAllRules(rules)).build();
  }

  static Permission destinationPort(int port) {
    return Permission.newBuilder().setDestinationPort(port).build();
  }

  static Permission header(String name, StringMatcher value) {
    return Permission.newBuilder()
        .setHeader(HeaderMatcher.newBuilder().setName(name).setStringMatch(value)).build();
  }

  static Permission urlPath(StringMatcher path) {
    return Permission.newBuilder().setUrlPath(PathMatcher.newBuilder().setPath(path)).build();
  }

  static StringMatcher exact(String value) {
    return StringMatcher.newBuilder().setExact(value).build();
  }

  static StringMatcher prefix(String value) {
    return StringMatcher.newBuilder().setPrefix(value).build();
  }

  static Principal authenticated(String principalName) {
    return Principal.newBuilder().setAuthenticated(
        Principal.Authenticated.newBuilder().setPrincipalName(exact(principalName))).build();
  }

  static Principal directRemoteIp(CidrRange range) {
    return Principal.newBuilder().setDirectRemoteIp(range).build();
  }

  /** {@code 10.0.0.0/8} → CidrRange; a bare address is a host route (/32 or /128). */
  static CidrRange cidr(String cidr) {
    int slash = cidr.indexOf('/');
    String address = slash < 0 ? cidr : cidr.substring(0, slash);
    int len = slash < 0 ? (address.contains(":") ? 128 : 32) : Integer.parseInt(cidr.substring(slash + 1));
    int max = address.contains(":") ? 128 : 32;
    if (len < 0 || len > max) {
      throw new IllegalArgumentException("prefix length out of range in " + cidr);
    }
    return CidrRange.newBuilder().setAddressPrefix(address).setPrefixLen(UInt32Value.of(len)).build();
  }
}
