package io.meshwarden.index;

import io.meshwarden.ingest.manifest.Converted;
import java.util.List;

/**
 * One object as the index holds it: the last version that converted cleanly (null if none ever
 * did) and the diagnostics of the latest version. Immutable; the writer replaces it.
 */
record Entry(Converted good, List<Diagnostic> diagnostics) {
  Entry {
    diagnostics = List.copyOf(diagnostics);
  }
}
