/**
 * Stage: observed traffic, live. Every observation (an Envoy ALS entry bound to its stream's node,
 * or a replayed flow record) goes through one bounded queue to one writer, {@link
 * io.meshwarden.aggregate.LiveAggregator}, which checks it against the cluster snapshot, resolves
 * its peers with graph-analyzer's {@code IdentityResolver}, folds it into edges with hourly
 * buckets, and flushes changed edges to the store. Readers get immutable {@link
 * io.meshwarden.aggregate.TrafficView}s.
 */
package io.meshwarden.aggregate;
