package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.Origin;

/** A manifest that cannot be read or understood; the message names the file and line. */
public final class ManifestException extends Exception {
  private static final long serialVersionUID = 1L;
  /** The code of an object the reader refuses for no more specific reason. */
  public static final String INVALID_OBJECT = "invalid-object";

  private final transient Origin origin;
  private final String code;
  private final String detail;

  public ManifestException(Origin origin, String message) {
    this(origin, message, INVALID_OBJECT);
  }

  /** An error with a more specific code than {@link #INVALID_OBJECT}, such as {@code invalid-cidr}. */
  public ManifestException(Origin origin, String message, String code) {
    super(origin + ": " + message);
    this.origin = origin;
    this.code = java.util.Objects.requireNonNull(code, "code");
    this.detail = message;
  }

  public ManifestException(Origin origin, String message, Throwable cause) {
    super(origin + ": " + message, cause);
    this.origin = origin;
    this.code = INVALID_OBJECT;
    this.detail = message;
  }

  /** What kind of error this is, as the live index's diagnostics name it. */
  public String code() {
    return code;
  }

  public Origin origin() {
    return origin;
  }

  /**
   * The error as a value: its code, {@code severity}, origin and message ({@code --keep-going}
   * reports it as a warning; it is an error all the same).
   */
  public Diagnostic diagnostic() {
    return new Diagnostic(code, Diagnostic.Severity.ERROR, origin, detail);
  }
}
