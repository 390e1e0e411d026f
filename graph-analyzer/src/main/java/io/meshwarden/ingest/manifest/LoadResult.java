package io.meshwarden.ingest.manifest;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Diagnostic;
import java.util.List;
import java.util.Map;

/**
 * What reading manifests produced: the model, the errors that were skipped under
 * {@code --keep-going}, warnings (values with a code and the place they concern), notes on files and documents that are not Kubernetes objects
 * (Helm values, Kustomize configuration), and how many objects of kinds we do not use were skipped.
 */
public record LoadResult(
    ClusterModel model,
    List<Diagnostic> errors,
    List<Diagnostic> warnings,
    List<String> notes,
    Map<String, Integer> skippedKinds,
    int objectsRead,
    int filesRead) {

  public LoadResult {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
    notes = List.copyOf(notes);
    skippedKinds = Map.copyOf(skippedKinds);
  }
}
