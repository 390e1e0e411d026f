/**
 * Deterministic synthetic clusters and flow logs, and the timing harnesses behind the {@code bench} commands.
 */
package io.meshwarden.bench;
