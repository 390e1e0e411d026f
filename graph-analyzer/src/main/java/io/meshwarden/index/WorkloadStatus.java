package io.meshwarden.index;

import java.util.List;

/**
 * What changes with pod churn and never with policy: the pods a workload runs now (finished pods
 * left out), their names and addresses.
 */
public record WorkloadStatus(int pods, List<String> podNames, List<String> podIps) {
  static final WorkloadStatus NONE = new WorkloadStatus(0, List.of(), List.of());

  public WorkloadStatus {
    podNames = List.copyOf(podNames);
    podIps = List.copyOf(podIps);
  }
}
