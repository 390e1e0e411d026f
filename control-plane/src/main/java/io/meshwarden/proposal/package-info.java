/**
 * Stage: proposals. Per namespace, the least-privilege policy the learned traffic supports, from
 * graph-analyzer's synthesis (the same functions {@code generate} runs), versioned by a content hash
 * and recorded in the store. Reads the live index and the aggregator's traffic view; read by the
 * mode state and the API.
 */
package io.meshwarden.proposal;
