package io.meshwarden.verdict;

/**
 * Read side of the live dry-run, for the approval gate: how many observed flows the given proposal
 * version would deny in the namespace within the retention window, out of how many it judged.
 * Thread-safe, lock-free reads.
 */
public interface DryRunVerdicts {
  /** Would-deny flows (requests for HTTP, connections for TCP) seen while {@code proposalVersion} was served. */
  long wouldDeny(String namespace, String proposalVersion);

  /**
   * Flows judged against {@code proposalVersion} (denied or not) in the window: zero means the dry
   * run has not seen traffic for that version yet, which a gate should not read as clean.
   */
  long judged(String namespace, String proposalVersion);
}
