package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Located;
import java.util.Arrays;
import java.util.LinkedHashMap;

/**
 * A YAML/JSON mapping that remembers the line it starts on, so that objects nested in a
 * {@code kind: List} still point at their own line, and the line of each of its keys, so that an
 * error about a field points at that field.
 */
final class Node extends LinkedHashMap<String, Object> implements Located {
  private static final long serialVersionUID = 1L;
  private final int line;
  /** Lines of the keys in insertion order; maps are small, so a scan beats a second hash map. */
  private int[] keyLines = new int[0];

  Node(int line) {
    this.line = line;
  }

  @Override
  public int line() {
    return line;
  }

  /** Adds a key read from the document at {@code keyLine}. */
  void putAt(String key, Object value, int keyLine) {
    int index = size();
    put(key, value);
    if (index == keyLines.length) {
      keyLines = Arrays.copyOf(keyLines, Math.max(4, index * 2));
    }
    keyLines[index] = keyLine;
  }

  /** The line of {@code key}, or this mapping's own line when the key was not read from a document. */
  @Override
  public int lineOf(String key) {
    int i = 0;
    for (String k : keySet()) {
      if (k.equals(key)) {
        return i < keyLines.length && keyLines[i] > 0 ? keyLines[i] : line;
      }
      i++;
    }
    return line;
  }
}
