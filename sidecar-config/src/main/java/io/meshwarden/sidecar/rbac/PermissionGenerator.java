package io.meshwarden.sidecar.rbac;

import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.meshwarden.synthesis.HttpMatch;
import java.util.Optional;

/**
 * One request attribute of an allowed request shape → one permission, or nothing when the shape
 * does not constrain that attribute. Permissions of one shape are ANDed by the caller.
 */
interface PermissionGenerator {
  Optional<Permission> permission(int port, HttpMatch match);

  /** The attributes, in the order they appear inside and_rules. */
  PermissionGenerator[] ALL = {new DestinationPort(), new Method(), new UrlPath()};

  /** The listener's port; filter chains already match it, repeating it keeps each policy self-contained. */
  final class DestinationPort implements PermissionGenerator {
    @Override
    public Optional<Permission> permission(int port, HttpMatch match) {
      return Optional.of(Protos.destinationPort(port));
    }
  }

  /** {@code :method}, exact; absent method means any. */
  final class Method implements PermissionGenerator {
    @Override
    public Optional<Permission> permission(int port, HttpMatch match) {
      if (match == null || match.method() == null) {
        return Optional.empty();
      }
      return Optional.of(Protos.header(":method", Protos.exact(match.method())));
    }
  }

  /** The path without query, exact or by prefix (Istio: to.operation.paths). */
  final class UrlPath implements PermissionGenerator {
    @Override
    public Optional<Permission> permission(int port, HttpMatch match) {
      if (match == null) {
        return Optional.empty();
      }
      return Optional.of(Protos.urlPath(match.prefix() ? Protos.prefix(match.path()) : Protos.exact(match.path())));
    }
  }
}
