package io.meshwarden.cli;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * A one-line progress indicator on stderr, drawn only on a terminal so logs stay clean. Messages
 * go through {@link #messages()}, which clears the progress line first, so a warning never lands
 * at the end of "meshwarden: reading flows (1.2s)"; the next stage draws the line again.
 */
final class Progress {
  private final PrintWriter err;
  private final boolean enabled;
  private final long start = System.nanoTime();
  private final PrintWriter messages;
  private int width;

  Progress(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
    this.messages = !enabled ? err : new PrintWriter(new Writer() {
      @Override
      public void write(char[] buf, int off, int len) {
        clear();
        err.write(buf, off, len);
      }

      @Override
      public void flush() {
        err.flush();
      }

      @Override
      public void close() {
        err.flush();
      }
    }, true);
  }

  /** Where warnings and errors go while progress may be on screen. */
  PrintWriter messages() {
    return messages;
  }

  void stage(String name) {
    if (!enabled) {
      return;
    }
    String line = String.format("meshwarden: %s (%.1fs)", name, (System.nanoTime() - start) / 1e9);
    err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
    err.flush();
    width = line.length();
  }

  void done() {
    clear();
  }

  private void clear() {
    if (enabled && width > 0) {
      err.print("\r" + " ".repeat(width) + "\r");
      err.flush();
      width = 0;
    }
  }
}
