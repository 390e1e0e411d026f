package io.meshwarden.cli;

import io.meshwarden.ingest.manifest.LoadResult;
import java.io.PrintWriter;

/** Prints what loading manifests reported, on stderr. */
final class Diagnostics {
  private Diagnostics() {}

  static void print(PrintWriter err, LoadResult loaded) {
    loaded.errors().forEach(e -> err.println("error: " + e));
    loaded.warnings().forEach(w -> err.println("warning: " + w));
    if (!loaded.skippedKinds().isEmpty()) {
      StringBuilder sb = new StringBuilder("skipped objects of kinds not used by policy analysis:");
      loaded.skippedKinds().forEach((k, n) -> sb.append(' ').append(k).append('=').append(n));
      err.println("info: " + sb);
    }
  }
}
