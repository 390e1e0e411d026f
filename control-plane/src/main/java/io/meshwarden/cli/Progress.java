package io.meshwarden.cli;

import java.io.PrintWriter;

/** A one-line progress indicator on stderr, drawn only on a terminal so logs stay clean. */
final class Progress {
  private final PrintWriter err;
  private final boolean enabled;
  private final long start = System.nanoTime();
  private int width;

  Progress(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
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
    if (enabled && width > 0) {
      err.print("\r" + " ".repeat(width) + "\r");
      err.flush();
    }
  }
}
