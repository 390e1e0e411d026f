package io.meshwarden.ingest.manifest;

import io.meshwarden.model.ClusterModel;
import java.util.List;
import java.util.Map;

/**
 * What reading manifests produced: the model, the errors that were skipped under
 * {@code --keep-going}, warnings, and how many objects of kinds we do not use were skipped.
 */
public record LoadResult(
    ClusterModel model,
    List<String> errors,
    List<String> warnings,
    Map<String, Integer> skippedKinds,
    int objectsRead,
    int filesRead) {

  public LoadResult {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
    skippedKinds = Map.copyOf(skippedKinds);
  }
}
