package io.meshwarden.cli;

import io.meshwarden.ingest.manifest.LoadResult;
import java.io.PrintWriter;

/**
 * Prints what loading manifests reported, on stderr. Errors reach here only under
 * {@code --keep-going}, which the user asked for: they are warnings then, and the command goes on.
 */
final class Diagnostics {
  private Diagnostics() {}

  static void print(PrintWriter err, LoadResult loaded) {
    loaded.errors().forEach(e -> err.println("warning: " + e + " (skipped: --keep-going)"));
    loaded.warnings().forEach(w -> err.println("warning: " + w));
    loaded.notes().forEach(n -> err.println("note: " + n));
    if (!loaded.skippedKinds().isEmpty()) {
      StringBuilder sb = new StringBuilder("skipped objects of kinds not used by policy analysis:");
      loaded.skippedKinds().forEach((k, n) -> sb.append(' ').append(k).append('=').append(n));
      err.println("info: " + sb);
    }
  }
}
