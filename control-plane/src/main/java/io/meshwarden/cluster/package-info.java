/**
 * Stage boundary: the cluster state that {@code serve} reads, as immutable snapshots from a
 * {@link io.meshwarden.cluster.ClusterSnapshotSource}. The live index (informers) and the manifest
 * files ({@code --manifests}) are two sources behind the same interface; readers never lock.
 */
package io.meshwarden.cluster;
