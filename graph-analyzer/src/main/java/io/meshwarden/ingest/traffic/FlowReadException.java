package io.meshwarden.ingest.traffic;

import io.meshwarden.model.Origin;

/**
 * Flow input that cannot be read: a missing file, or in strict mode the first bad record. The
 * message names the file and line.
 */
public final class FlowReadException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Origin origin;

  public FlowReadException(Origin origin, String message) {
    super(origin + ": " + message);
    this.origin = origin;
  }

  public FlowReadException(Origin origin, String message, Throwable cause) {
    super(origin + ": " + message, cause);
    this.origin = origin;
  }

  public Origin origin() {
    return origin;
  }
}
