package io.meshwarden.ingest.manifest;

import java.nio.file.Path;
import java.util.Locale;

/**
 * YAML files that live next to manifests but are not Kubernetes objects: Helm charts and values,
 * Kustomize configuration. They are skipped with a note instead of failing the load.
 */
final class NotManifests {
  private NotManifests() {}

  /** A Helm chart's own description; the directory holding it is a chart, not manifests. */
  static boolean isChartFile(Path p) {
    return p.getFileName().toString().equals("Chart.yaml");
  }

  /** The note for a file that is not a manifest by its name, or null for one that may be. */
  static String fileNote(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.equals("chart.yaml")) {
      return p + ": skipped a Helm chart description; render the chart with `helm template` and pass the output";
    }
    if (n.startsWith("values") && (n.endsWith(".yaml") || n.endsWith(".yml"))) {
      return p + ": skipped Helm values; render the chart with `helm template` and pass the output";
    }
    if (n.equals("kustomization.yaml") || n.equals("kustomization.yml")) {
      return p + ": skipped a Kustomize configuration; build it with `kubectl kustomize` and pass the output";
    }
    return null;
  }
}
