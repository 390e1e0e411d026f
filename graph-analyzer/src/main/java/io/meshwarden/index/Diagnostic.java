package io.meshwarden.index;

import io.meshwarden.model.Origin;
import java.util.Objects;

/**
 * Something the index could not take from one object, as a value: the object, a stable code,
 * how bad it is, where the object came from and what happened.
 *
 * @param code {@code invalid-object} (the object was refused; its last good version stays in
 *     force), {@code invalid-cidr} (refused, like {@code invalid-object}, for a CIDR the API server
 *     would reject), a converter's warning with its own code (read, with a part ignored: {@code
 *     ambiguous-cidr}, {@code unknown-peer}, ...; see {@link #of}), {@code priority-conflict} (two
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

  /**
   * The index's form of a stage's diagnostic about one object: the same code, severity, origin and
   * message, with the object it concerns.
   */
  public static Diagnostic of(ObjectKey object, io.meshwarden.model.Diagnostic d) {
    return new Diagnostic(object, d.code(), d.severity() == io.meshwarden.model.Diagnostic.Severity.ERROR
        ? Severity.ERROR : Severity.WARNING, d.origin(), d.message());
  }

  @Override
  public String toString() {
    return severity.name().toLowerCase(java.util.Locale.ROOT) + " " + code + " " + origin + ": " + message;
  }
}
