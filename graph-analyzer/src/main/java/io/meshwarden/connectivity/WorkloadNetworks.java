package io.meshwarden.connectivity;

import io.meshwarden.model.Workload;
import java.util.List;
import java.util.Objects;

/**
 * The networks a workload is configured with: its primary network and the secondary networks its
 * pods ask for (whether or not a NetworkAttachmentDefinition provides them).
 */
public record WorkloadNetworks(Workload workload, Network primary, List<Network> secondary) {
  public WorkloadNetworks {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(primary, "primary");
    secondary = List.copyOf(secondary);
  }
}
