/**
 * Stage: the live dry-run and drift. Reads what the control plane serves to each namespace
 * ({@link io.meshwarden.verdict.ServedPolicies}, written by the proposal/mode state) and the ALS
 * observations, and answers which flows the served policy would deny (dry-run) or denied (enforce),
 * attributed to the deciding rule ({@link io.meshwarden.verdict.DryRunVerdicts}, read by the
 * approval gate and the API).
 */
package io.meshwarden.verdict;
