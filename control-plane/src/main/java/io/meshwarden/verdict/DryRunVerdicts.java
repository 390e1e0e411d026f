package io.meshwarden.verdict;

/**
 * Read side of the live dry-run, for the approval gate: how many observed flows the given proposal
 * version would deny in the namespace within the retention window. Thread-safe, lock-free reads.
 */
public interface DryRunVerdicts {
  /** Would-deny flows (requests for HTTP, connections for TCP) seen while {@code proposalVersion} was served. */
  long wouldDeny(String namespace, String proposalVersion);
}
