/**
 * Stage: the ADS servers (java-control-plane's {@code V3DiscoveryServer}). {@code XdsServer} is what
 * {@code serve} binds today (observe: nothing pushed). {@code AdsServer} is the policy server: node
 * groups from metadata and the live index, content-hash versions, validated snapshots, parked
 * NACKs, debounced pushes; it builds each group's resources through a {@code SnapshotBuilder} hook.
 */
package io.meshwarden.xds;
