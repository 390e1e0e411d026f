package io.meshwarden.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control plane's durable state. Implementations are safe to call from several threads; edges
 * have one writer (the aggregator), the rest is written through the API's single write path.
 * Failures are {@link StoreException}s: a store that cannot write must not be mistaken for one that
 * has nothing to say.
 */
public interface Store extends AutoCloseable {

  /** The schema version this store is at (migrations run on open). */
  int schemaVersion();

  /** Every learned edge, as of the last flush. */
  List<StoredEdge> loadEdges();

  /**
   * Every learned edge as of the last flush, without its hourly buckets: what the aggregator
   * resumes from (the buckets stay in the store, and flushes add to them).
   */
  List<StoredEdge> loadEdgeTotals();

  /** Writes one flush in one transaction (its buckets add to the stored ones of the same hours). */
  void write(Flush flush);

  /** Whether a flow file with this content hash was already ingested. */
  boolean sourceIngested(String sha256);

  /**
   * Records that {@code proposal} is now its namespace's newest version (content is the full
   * proposal as JSON); a version seen before keeps its content and creation time.
   */
  void putProposal(Proposal proposal);

  Optional<Proposal> proposal(String namespace, String version);

  /** Namespace → the version that most recently became newest (start-up: nothing is re-recorded). */
  Map<String, String> newestProposals();

  /** Records an approval of an existing proposal version, with an audit entry. */
  void approve(Approval approval);

  /** The namespace's most recent approval, if any. */
  Optional<Approval> latestApproval(String namespace);

  /**
   * Pins the namespace's dry-run to an existing proposal version (replacing an earlier pin), with
   * an audit entry.
   */
  void pin(Pin pin);

  /** Namespace → the proposal version its dry-run is pinned to. */
  Map<String, Pin> pins();

  /**
   * Records a change of a namespace's mode, with an audit entry. From the API ({@code api} true) it
   * is kept as an override of the Namespace label; from the label, any API override is dropped.
   */
  void setMode(ModeChange change);

  /** Namespace → mode set through the API (it wins over the label it saw until that changes). */
  Map<String, ApiMode> modes();

  /** The newest audit entries first. */
  List<AuditEntry> audit(int limit);

  /** The newest audit entries about one namespace first. */
  List<AuditEntry> audit(String namespace, int limit);

  @Override
  void close();

  /** A proposed policy version for one namespace. */
  record Proposal(String namespace, String version, String content, long createdAtMillis) {}

  /** Which proposal version a namespace's dry-run serves and judges, who pinned it, when and why. */
  record Pin(String namespace, String version, String actor, String reason, long atMillis) {}

  /** Who approved which proposal version, and why. */
  record Approval(String namespace, String version, String actor, String reason, long atMillis) {}

  /**
   * A change of mode ({@code observe}, {@code dry-run}, {@code enforce}) from {@code fromMode};
   * {@code proposalVersion} names the approved proposal when the mode is {@code enforce}, else may be
   * null; {@code label} is the Namespace's {@code meshwarden.io/mode} label when the change was made
   * (null: none); {@code api} says whether a user made it through the API (else the label did).
   */
  record ModeChange(String namespace, String fromMode, String mode, String proposalVersion, String actor,
      String reason, String label, boolean api, long atMillis) {}

  /** A mode set through the API, with the label value it overrode (null: the label was absent). */
  record ApiMode(String mode, String proposalVersion, String label) {}

  /**
   * One audited action; {@code from}, {@code to}, {@code version} and {@code reason} are empty where
   * they do not apply.
   */
  record AuditEntry(long id, long atMillis, String actor, String action, String subject, String detail, String from,
      String to, String version, String reason) {}
}
