package io.meshwarden.index;

import io.meshwarden.model.Origin;
import java.util.Objects;

/**
 * Something the index could not take from one object, as a value: the object, a stable code,
 * how bad it is, where the object came from and what happened.
 *
 * @param code {@code invalid-object} (the object was refused; its last good version stays in
 *     force), {@code invalid-cidr} (refused, like {@code invalid-object}, for a CIDR the API server
 *     would reject), {@code object-warning} (read, with a part ignored), {@code priority-conflict} (two
 *     AdminNetworkPolicies share a priority), {@code not-evaluated} (a watched kind whose rules
 *     analysis does not evaluate yet)
 */
public record Diagnostic(ObjectKey object, String code, Severity severity, Origin origin, String message) {
  /** How bad a diagnostic is. */
  public enum Severity {
    ERROR,
    WARNING
  }

  public Diagnostic {
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return severity.name().toLowerCase(java.util.Locale.ROOT) + " " + code + " " + origin + ": " + message;
  }
}
