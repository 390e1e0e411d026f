package io.meshwarden.xds;

import io.meshwarden.sidecar.ServedResources;

/** Builds a group's resources from the current state (mode, proposal, approved version, ports). Pure. */
@FunctionalInterface
public interface SnapshotBuilder {
  ServedResources build(GroupKey group);
}
