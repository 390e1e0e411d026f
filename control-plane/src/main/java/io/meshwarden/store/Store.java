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

  /** Writes one flush in one transaction. */
  void write(Flush flush);

  /** Whether a flow file with this content hash was already ingested. */
  boolean sourceIngested(String sha256);

  /** Records a proposal version for a namespace (content is the reviewable policy text). */
  void putProposal(Proposal proposal);

  Optional<Proposal> proposal(String namespace, String version);

  /** Records an approval of an existing proposal version, with an audit entry. */
  void approve(Approval approval);

  /** Sets a namespace's mode, with an audit entry. */
  void setMode(ModeChange change);

  /** Namespace → mode, for namespaces whose mode was set through the API. */
  Map<String, String> modes();

  /** The newest audit entries first. */
  List<AuditEntry> audit(int limit);

  @Override
  void close();

  /** A proposed policy version for one namespace. */
  record Proposal(String namespace, String version, String content, long createdAtMillis) {}

  /** Who approved which proposal version, and why. */
  record Approval(String namespace, String version, String actor, String reason, long atMillis) {}

  /**
   * A change of mode ({@code observe}, {@code dry-run}, {@code enforce}); {@code proposalVersion}
   * names the approved proposal when the mode is {@code enforce}, else may be null.
   */
  record ModeChange(String namespace, String mode, String proposalVersion, String actor, String reason,
      long atMillis) {}

  /** One audited action. */
  record AuditEntry(long id, long atMillis, String actor, String action, String subject, String detail) {}
}
