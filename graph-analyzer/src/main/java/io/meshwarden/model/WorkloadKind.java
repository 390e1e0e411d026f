package io.meshwarden.model;

/** Controllers that own pods, plus bare pods; names match the Kubernetes kinds. */
public enum WorkloadKind {
  Deployment,
  ReplicaSet,
  StatefulSet,
  DaemonSet,
  Job,
  CronJob,
  ReplicationController,
  Pod,
  VirtualMachine;

  /** Returns the kind for a Kubernetes kind name, or null when it does not own pods. */
  public static WorkloadKind forKind(String kind) {
    for (WorkloadKind k : values()) {
      if (k.name().equals(kind)) {
        return k;
      }
    }
    return null;
  }
}
