/**
 * Stage: the policy ADS server (java-control-plane's {@code V3DiscoveryServer}), {@code AdsServer}:
 * node groups from metadata and the live index, content-hash versions, validated snapshots, parked
 * NACKs, debounced pushes; it builds each group's resources through a {@code SnapshotBuilder} hook
 * ({@code serve} binds the mode state's, {@code io.meshwarden.mode.ServedSnapshots}).
 */
package io.meshwarden.xds;
