package io.meshwarden.ingest.traffic;

import io.meshwarden.model.Origin;
import java.nio.charset.StandardCharsets;

/**
 * The current line of a {@link LineReader}: a window on its buffer, valid until the next line is
 * read, so that no line is copied unless a parser needs a string.
 */
final class Line {
  byte[] buf;
  int off;
  int len;
  String file;
  long number;

  Origin origin() {
    return new Origin(file, (int) Math.min(Integer.MAX_VALUE, number));
  }

  String text() {
    return new String(buf, off, len, StandardCharsets.UTF_8);
  }

  /** The first byte that is not blank, or -1. */
  int firstNonBlank() {
    for (int i = off, end = off + len; i < end; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return b;
      }
    }
    return -1;
  }
}
