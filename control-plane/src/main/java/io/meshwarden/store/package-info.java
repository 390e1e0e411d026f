/**
 * Stage: what the control plane keeps across restarts. {@link io.meshwarden.store.Store} is the
 * contract (learned edges with their hourly buckets and RBAC shadow results, ingested flow files,
 * proposals, approvals, namespace modes, the audit log); {@link io.meshwarden.store.SqliteStore}
 * is the embedded implementation, a PostgreSQL one fills the same contract later for high
 * availability. Only the aggregator writes edges; everything else reads.
 */
package io.meshwarden.store;
