package io.meshwarden.ingest.manifest;

import java.util.LinkedHashMap;

/**
 * A YAML/JSON mapping that remembers the line it starts on, so that objects nested in a
 * {@code kind: List} still point at their own line.
 */
final class Node extends LinkedHashMap<String, Object> {
  private static final long serialVersionUID = 1L;
  private final int line;

  Node(int line) {
    this.line = line;
  }

  int line() {
    return line;
  }
}
