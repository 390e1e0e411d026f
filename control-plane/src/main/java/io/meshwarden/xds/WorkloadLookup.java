package io.meshwarden.xds;

import java.util.Optional;

/** Pod → workload, from the live index (a pod's owner chain). */
@FunctionalInterface
public interface WorkloadLookup {
  /** The name of the workload that owns pod {@code namespace/pod}, if the index knows the pod. */
  Optional<String> workloadOfPod(String namespace, String pod);
}
