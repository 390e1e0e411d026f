package io.meshwarden.store;

import java.util.List;

/**
 * The SQLite schema as an ordered list of migrations; the store's {@code user_version} is the
 * number applied. Append only: a released migration is never edited, a change is a new entry.
 */
final class Migrations {
  private Migrations() {}

  static final List<List<String>> ALL = List.of(
      // 1: learned edges, their hourly buckets and RBAC results; ingested flow files; proposals,
      // approvals, modes and the audit log.
      List.of(
          """
          CREATE TABLE edges (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL, destination TEXT NOT NULL, protocol TEXT NOT NULL, port INTEGER NOT NULL,
            method TEXT NOT NULL, path TEXT NOT NULL,
            count INTEGER NOT NULL, bytes INTEGER NOT NULL, denied INTEGER NOT NULL,
            first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
            UNIQUE (source, destination, protocol, port, method, path))""",
          """
          CREATE TABLE edge_buckets (
            edge_id INTEGER NOT NULL REFERENCES edges(id) ON DELETE CASCADE, hour INTEGER NOT NULL,
            count INTEGER NOT NULL, bytes INTEGER NOT NULL,
            PRIMARY KEY (edge_id, hour)) WITHOUT ROWID""",
          "CREATE INDEX edge_buckets_hour ON edge_buckets(hour)",
          """
          CREATE TABLE edge_decisions (
            edge_id INTEGER NOT NULL REFERENCES edges(id) ON DELETE CASCADE,
            shadow_result TEXT NOT NULL, shadow_policy_id TEXT NOT NULL, details TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (edge_id, shadow_result, shadow_policy_id, details)) WITHOUT ROWID""",
          """
          CREATE TABLE ingested_sources (
            sha256 TEXT PRIMARY KEY, name TEXT NOT NULL, flows INTEGER NOT NULL, ingested_at INTEGER NOT NULL)""",
          """
          CREATE TABLE proposals (
            namespace TEXT NOT NULL, version TEXT NOT NULL, content TEXT NOT NULL, created_at INTEGER NOT NULL,
            PRIMARY KEY (namespace, version))""",
          """
          CREATE TABLE approvals (
            namespace TEXT NOT NULL, version TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL,
            approved_at INTEGER NOT NULL,
            PRIMARY KEY (namespace, version),
            FOREIGN KEY (namespace, version) REFERENCES proposals(namespace, version))""",
          """
          CREATE TABLE modes (
            namespace TEXT PRIMARY KEY, mode TEXT NOT NULL, proposal_version TEXT, actor TEXT NOT NULL,
            reason TEXT NOT NULL, changed_at INTEGER NOT NULL)""",
          """
          CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL,
            action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL)"""),
      // 2: which kinds of sources saw each edge (comma-separated FlowSource names): what an edge's
      // absence means depends on what was watching.
      List.of("ALTER TABLE edges ADD COLUMN observers TEXT NOT NULL DEFAULT ''"),
      // 3: live proposals and modes. A proposal version may become the newest again (traffic went
      // back to an earlier shape): proposed_at says when it last did. An API-set mode remembers the
      // Namespace label it overrode (label), so a later label change wins again. Audit entries carry
      // the change itself (from, to, version, reason) next to the readable detail.
      List.of(
          "ALTER TABLE proposals ADD COLUMN proposed_at INTEGER NOT NULL DEFAULT 0",
          "UPDATE proposals SET proposed_at = created_at",
          "CREATE INDEX proposals_newest ON proposals(namespace, proposed_at)",
          "ALTER TABLE modes ADD COLUMN label TEXT",
          "ALTER TABLE audit_log ADD COLUMN from_mode TEXT NOT NULL DEFAULT ''",
          "ALTER TABLE audit_log ADD COLUMN to_mode TEXT NOT NULL DEFAULT ''",
          "ALTER TABLE audit_log ADD COLUMN version TEXT NOT NULL DEFAULT ''",
          "ALTER TABLE audit_log ADD COLUMN reason TEXT NOT NULL DEFAULT ''",
          "CREATE INDEX audit_log_subject ON audit_log(subject, id)"),
      // 4: the proposal version a namespace's dry-run is pinned to: what its sidecars get as shadow
      // rules and what the live dry-run judges, while newer proposals keep being computed. Kept
      // across restarts so a restart does not silently move the dry-run to a newer version.
      List.of(
          """
          CREATE TABLE dryrun_pins (
            namespace TEXT PRIMARY KEY, version TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL,
            pinned_at INTEGER NOT NULL,
            FOREIGN KEY (namespace, version) REFERENCES proposals(namespace, version))"""));
}
