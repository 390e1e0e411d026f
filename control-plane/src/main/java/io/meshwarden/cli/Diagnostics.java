package io.meshwarden.cli;

import io.meshwarden.ingest.manifest.LoadResult;
import io.meshwarden.model.Diagnostic;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Prints what loading manifests reported, on stderr, unless {@code -q}. Errors reach here only
 * under {@code --keep-going}, which the user asked for: they are warnings then, and the command
 * goes on. A line reported twice (diff's two policy sets read from the same files) prints once.
 */
final class Diagnostics {
  private final PrintWriter err;
  private final boolean quiet;
  private final Set<String> printed = new HashSet<>();

  Diagnostics(PrintWriter err, boolean quiet) {
    this.err = err;
    this.quiet = quiet;
  }

  static void print(PrintWriter err, LoadResult loaded) {
    new Diagnostics(err, false).report(loaded);
  }

  void report(LoadResult loaded) {
    report(loaded, d -> true);
  }

  /** Reports what loading raised, leaving out the warnings {@code keep} rejects. */
  void report(LoadResult loaded, Predicate<Diagnostic> keep) {
    if (quiet) {
      return;
    }
    List<String> lines = new ArrayList<>();
    loaded.errors().forEach(e -> lines.add("warning: " + e + " (skipped: --keep-going)"));
    loaded.warnings().stream().filter(keep).forEach(w -> lines.add("warning: " + w));
    loaded.notes().forEach(n -> lines.add("note: " + n));
    if (!loaded.skippedKinds().isEmpty()) {
      StringBuilder sb = new StringBuilder("skipped objects of kinds not used by policy analysis:");
      loaded.skippedKinds().forEach((k, n) -> sb.append(' ').append(k).append('=').append(n));
      lines.add("info: " + sb);
    }
    for (String line : lines) {
      if (printed.add(line)) {
        err.println(line);
      }
    }
  }
}
