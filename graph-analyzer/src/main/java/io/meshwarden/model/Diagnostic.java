package io.meshwarden.model;

import java.util.Locale;
import java.util.Objects;

/**
 * Something a stage could not take as written or wants a reader to weigh, as a value: a stable
 * code a script can match, how bad it is, where it comes from and what happened. The manifest
 * loader, connectivity and synthesis report their warnings this way; the console prints
 * {@link #toString()}, JSON and SARIF outputs carry the fields.
 *
 * @param code a stable, lower-case, hyphenated name of the condition (e.g. {@code declared-twice});
 *     the message may be reworded, the code stays
 * @param origin the file and line it concerns, or {@link Origin#UNKNOWN} when it concerns the input
 *     as a whole (no NetworkPolicy anywhere) or a computed result (a named port no pod defines)
 * @param message what happened and what was done about it, without the origin
 */
public record Diagnostic(String code, Severity severity, Origin origin, String message) {
  /** How bad a diagnostic is. */
  public enum Severity {
    ERROR,
    WARNING,
    INFO;

    /** The name as JSON and SARIF spell levels: lower case. */
    public String lower() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Diagnostic {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(message, "message");
  }

  /** A warning about {@code origin}. */
  public static Diagnostic warning(String code, Origin origin, String message) {
    return new Diagnostic(code, Severity.WARNING, origin, message);
  }

  /** A warning about no one place (the input as a whole, a computed result). */
  public static Diagnostic warning(String code, String message) {
    return new Diagnostic(code, Severity.WARNING, Origin.UNKNOWN, message);
  }

  /** Whether the diagnostic names a place in the input. */
  public boolean located() {
    return !origin.equals(Origin.UNKNOWN);
  }

  /** The line users read: {@code file:line: message}, or the message alone when it has no place. */
  @Override
  public String toString() {
    return located() ? origin + ": " + message : message;
  }
}
