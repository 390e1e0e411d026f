package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Origin;

/** A manifest that cannot be read or understood; the message names the file and line. */
public final class ManifestException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Origin origin;

  public ManifestException(Origin origin, String message) {
    super(origin + ": " + message);
    this.origin = origin;
  }

  public ManifestException(Origin origin, String message, Throwable cause) {
    super(origin + ": " + message, cause);
    this.origin = origin;
  }

  public Origin origin() {
    return origin;
  }
}
