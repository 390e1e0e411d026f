/**
 * The live cluster state (stage: sources → state). {@link io.meshwarden.index.LiveIndex} is the
 * one writer: informers or manifest files hand it objects one at a time, it converts each with
 * the manifest reader's per-object converters, follows owner references to workloads, keeps spec
 * apart from status and pod IPs with their recent owners, and publishes immutable
 * {@link io.meshwarden.index.ClusterSnapshot}s, rebuilding only the namespaces that changed.
 *
 * <p>Readers (the ALS aggregator, the HTTP API, xDS) depend on {@link io.meshwarden.index.ClusterState}
 * only: {@code current()} for the snapshot (its {@code model()} is the same instance while no
 * policy-relevant object changed), {@code subscribe(namespaces, listener)} for changes, and
 * {@code ownerOf(ip, at)} for pod IP → workload, which still answers for a pod that is gone.
 * {@link io.meshwarden.index.ManifestSource} feeds the index from files ({@code --manifests}).
 *
 * <p>Pure: fabric8's kubernetes-model only, no client; the informers live in control-plane
 * ({@code io.meshwarden.watch.ClusterWatch}, started by {@code serve} when it has no manifests).
 *
 * <p>Note for {@code serve}: this index is on main and is the cluster source; feed it from files
 * with {@code ManifestSource} or from a cluster with {@code io.meshwarden.watch.LiveCluster}.
 */
package io.meshwarden.index;
