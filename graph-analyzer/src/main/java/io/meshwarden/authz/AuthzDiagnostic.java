package io.meshwarden.authz;

import io.meshwarden.model.Origin;
import java.util.Objects;

/**
 * Something the evaluator could not honour as written, as a value: a stable code, how serious it
 * is, where it is (file:line of the rule or policy) and what was done about it.
 */
public record AuthzDiagnostic(String code, Severity severity, Origin origin, String message) {
  /** How much a diagnostic matters to the reader. */
  public enum Severity { ERROR, WARNING, INFO }

  /** A key the evaluator does not know; the rule was made to fail closed. */
  public static final String UNKNOWN_KEY = "AUTHZ001";
  /** A value Istio would reject (bad CIDR, port, path template, wildcard service account). */
  public static final String INVALID_VALUE = "AUTHZ002";
  /** A policy that targets waypoints or gateways (targetRef/targetRefs), not sidecars. */
  public static final String NOT_FOR_SIDECARS = "AUTHZ003";
  /** A CUSTOM policy: an external authorizer decides, so matching requests are not evaluable. */
  public static final String CUSTOM_ACTION = "AUTHZ004";
  /** An AUDIT policy: it never changes a decision. */
  public static final String AUDIT_ACTION = "AUTHZ005";

  public AuthzDiagnostic {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return origin + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + " " + code + ": " + message;
  }
}
