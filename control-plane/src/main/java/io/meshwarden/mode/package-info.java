/**
 * Stage: modes and approval. Per namespace, the mode (observe, dry-run, enforce) from the
 * Namespace label or the API, the approval gate, the audit trail, and what each workload is
 * served ({@link io.meshwarden.mode.NamespaceModes}, which also implements the verdict stage's
 * {@code ServedPolicies}); {@link io.meshwarden.mode.ServedSnapshots} gives the xDS server its
 * snapshot builder and pod lookup. Reads proposals and the live index.
 */
package io.meshwarden.mode;
