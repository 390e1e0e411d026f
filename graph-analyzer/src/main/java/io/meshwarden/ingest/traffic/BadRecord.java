package io.meshwarden.ingest.traffic;

/** A record that cannot be turned into a flow; thrown per line, so it carries no stack trace. */
final class BadRecord extends Exception {
  private static final long serialVersionUID = 1L;

  BadRecord(String reason) {
    super(reason, null, false, false);
  }
}
