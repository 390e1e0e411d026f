package io.meshwarden.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The embedded store: one SQLite file in write-ahead-log mode. Every flush is one transaction, so a
 * crash (even kill -9) leaves the last committed flush intact and the file readable; WAL with
 * {@code synchronous=NORMAL} may lose the last transactions on power loss, never consistency.
 * One connection, used under this object's lock: SQLite serialises writers anyway, and readers are
 * rare (start-up, API writes).
 */
public final class SqliteStore implements Store {
  /** The database file's name under the state directory. */
  public static final String FILE = "meshwarden.db";

  private final Path file;
  private final Connection db;
  private final int schemaVersion;

  private SqliteStore(Path file, Connection db, int schemaVersion) {
    this.file = file;
    this.db = db;
    this.schemaVersion = schemaVersion;
  }

  /** Opens (creating the directory and file when missing) and migrates the store under {@code stateDir}. */
  public static SqliteStore open(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    try {
      Files.createDirectories(stateDir);
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create state directory " + stateDir + ": " + e.getMessage(), e);
    }
    Connection db = null;
    try {
      db = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA busy_timeout = 5000");
        try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
          if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
            throw new StoreException(file + ": SQLite refused write-ahead-log mode");
          }
        }
        s.execute("PRAGMA synchronous = NORMAL");
        s.execute("PRAGMA foreign_keys = ON");
        try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
          if (!rs.next() || !"ok".equals(rs.getString(1))) {
            throw new StoreException(file + ": integrity check failed: " + (rs.getRow() > 0 ? rs.getString(1) : "?"));
          }
        }
      }
      int version = migrate(db, file);
      return new SqliteStore(file, db, version);
    } catch (SQLException e) {
      closeQuietly(db);
      throw new StoreException("cannot open store " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(db);
      throw e;
    }
  }

  private static int migrate(Connection db, Path file) throws SQLException {
    int version;
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version > Migrations.ALL.size()) {
      throw new StoreException(file + ": schema version " + version + " is newer than this meshwarden knows ("
          + Migrations.ALL.size() + "); use a newer release");
    }
    db.setAutoCommit(false);
    try {
      for (int v = version; v < Migrations.ALL.size(); v++) {
        try (Statement s = db.createStatement()) {
          for (String sql : Migrations.ALL.get(v)) {
            s.execute(sql);
          }
          s.execute("PRAGMA user_version = " + (v + 1));
        }
      }
      db.commit();
    } catch (SQLException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
    return Migrations.ALL.size();
  }

  @Override
  public int schemaVersion() {
    return schemaVersion;
  }

  @Override
  public List<StoredEdge> loadEdges() {
    return load(true);
  }

  @Override
  public List<StoredEdge> loadEdgeTotals() {
    return load(false);
  }

  private synchronized List<StoredEdge> load(boolean withBuckets) {
    try (Statement s = db.createStatement()) {
      Map<Long, List<StoredEdge.Bucket>> buckets = new HashMap<>();
      if (withBuckets) {
        try (ResultSet rs = s.executeQuery(
            "SELECT edge_id, hour, count, bytes FROM edge_buckets ORDER BY edge_id, hour")) {
          while (rs.next()) {
            buckets.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                .add(new StoredEdge.Bucket(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
          }
        }
      }
      Map<Long, List<StoredEdge.Decision>> decisions = new HashMap<>();
      try (ResultSet rs = s.executeQuery(
          "SELECT edge_id, shadow_result, shadow_policy_id, details, count FROM edge_decisions ORDER BY edge_id")) {
        while (rs.next()) {
          decisions.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
              .add(new StoredEdge.Decision(rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
        }
      }
      List<StoredEdge> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT id, source, destination, protocol, port, method, path, count, bytes,"
          + " denied, first_seen, last_seen, observers FROM edges ORDER BY id")) {
        while (rs.next()) {
          long id = rs.getLong(1);
          String observers = rs.getString(13);
          out.add(new StoredEdge(rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6),
              rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12),
              buckets.getOrDefault(id, List.of()), decisions.getOrDefault(id, List.of()),
              observers.isEmpty() ? java.util.Set.of() : java.util.Set.of(observers.split(","))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read edges from " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void write(Flush flush) {
    if (flush.isEmpty()) {
      return;
    }
    // One transaction: a crash between two statements must never leave half a flush behind.
    inTransaction(() -> {
      writeEdges(flush.changed());
      removeEdges(flush.removed());
      if (flush.evictBeforeHour() != Long.MIN_VALUE) {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM edge_buckets WHERE hour < ?")) {
          p.setLong(1, flush.evictBeforeHour());
          p.executeUpdate();
        }
      }
      try (PreparedStatement p = db.prepareStatement(
          "INSERT OR IGNORE INTO ingested_sources (sha256, name, flows, ingested_at) VALUES (?, ?, ?, ?)")) {
        for (Flush.IngestedSource s : flush.sources()) {
          p.setString(1, s.sha256());
          p.setString(2, s.name());
          p.setLong(3, s.flows());
          p.setLong(4, s.ingestedAtMillis());
          p.executeUpdate();
        }
      }
    });
  }

  private void writeEdges(List<Flush.Changed> changed) throws SQLException {
    if (changed.isEmpty()) {
      return;
    }
    try (PreparedStatement upsert = db.prepareStatement("INSERT INTO edges (source, destination, protocol, port,"
        + " method, path, count, bytes, denied, first_seen, last_seen, observers)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (source, destination, protocol, port, method, path) DO UPDATE SET count = excluded.count,"
        + " bytes = excluded.bytes, denied = excluded.denied, first_seen = excluded.first_seen,"
        + " last_seen = excluded.last_seen, observers = excluded.observers RETURNING id");
        PreparedStatement bucket = db.prepareStatement(
            "INSERT INTO edge_buckets (edge_id, hour, count, bytes) VALUES (?, ?, ?, ?) ON CONFLICT (edge_id, hour)"
            + " DO UPDATE SET count = count + excluded.count, bytes = bytes + excluded.bytes");
        PreparedStatement clearDecisions = db.prepareStatement("DELETE FROM edge_decisions WHERE edge_id = ?");
        PreparedStatement decision = db.prepareStatement("INSERT INTO edge_decisions (edge_id, shadow_result,"
            + " shadow_policy_id, details, count) VALUES (?, ?, ?, ?, ?)")) {
      for (Flush.Changed c : changed) {
        StoredEdge e = c.edge();
        upsert.setString(1, e.source());
        upsert.setString(2, e.destination());
        upsert.setString(3, e.protocol());
        upsert.setInt(4, e.port());
        upsert.setString(5, e.method());
        upsert.setString(6, e.path());
        upsert.setLong(7, e.count());
        upsert.setLong(8, e.bytes());
        upsert.setLong(9, e.denied());
        upsert.setLong(10, e.firstSeenMillis());
        upsert.setLong(11, e.lastSeenMillis());
        upsert.setString(12, String.join(",", new java.util.TreeSet<>(e.observers())));
        long id;
        try (ResultSet rs = upsert.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("upsert of edge " + e.source() + " -> " + e.destination() + " returned no id");
          }
          id = rs.getLong(1);
        }
        for (StoredEdge.Bucket b : e.buckets()) {
          bucket.setLong(1, id);
          bucket.setLong(2, b.hour());
          bucket.setLong(3, b.count());
          bucket.setLong(4, b.bytes());
          bucket.addBatch();
        }
        bucket.executeBatch();
        clearDecisions.setLong(1, id);
        clearDecisions.executeUpdate();
        for (StoredEdge.Decision d : e.decisions()) {
          decision.setLong(1, id);
          decision.setString(2, d.shadowResult());
          decision.setString(3, d.shadowPolicyId());
          decision.setString(4, d.details());
          decision.setLong(5, d.count());
          decision.addBatch();
        }
        decision.executeBatch();
      }
    }
  }

  private void removeEdges(List<Flush.EdgeId> removed) throws SQLException {
    if (removed.isEmpty()) {
      return;
    }
    try (PreparedStatement p = db.prepareStatement("DELETE FROM edges WHERE source = ? AND destination = ?"
        + " AND protocol = ? AND port = ? AND method = ? AND path = ?")) {
      for (Flush.EdgeId e : removed) {
        p.setString(1, e.source());
        p.setString(2, e.destination());
        p.setString(3, e.protocol());
        p.setInt(4, e.port());
        p.setString(5, e.method());
        p.setString(6, e.path());
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  @Override
  public synchronized boolean sourceIngested(String sha256) {
    try (PreparedStatement p = db.prepareStatement("SELECT 1 FROM ingested_sources WHERE sha256 = ?")) {
      p.setString(1, sha256);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void putProposal(Proposal proposal) {
    inTransaction(() -> {
      try (PreparedStatement p = db.prepareStatement("INSERT INTO proposals (namespace, version, content, created_at,"
          + " proposed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (namespace, version) DO UPDATE SET"
          + " proposed_at = excluded.proposed_at")) {
        p.setString(1, proposal.namespace());
        p.setString(2, proposal.version());
        p.setString(3, proposal.content());
        p.setLong(4, proposal.createdAtMillis());
        p.setLong(5, proposal.createdAtMillis());
        p.executeUpdate();
      }
      audit(proposal.createdAtMillis(), "meshwarden", "propose", proposal.namespace(), "version " + proposal.version(),
          "", "", proposal.version(), "");
    });
  }

  @Override
  public synchronized Optional<Proposal> proposal(String namespace, String version) {
    try (PreparedStatement p = db.prepareStatement(
        "SELECT content, created_at FROM proposals WHERE namespace = ? AND version = ?")) {
      p.setString(1, namespace);
      p.setString(2, version);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(new Proposal(namespace, version, rs.getString(1), rs.getLong(2)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized Map<String, String> newestProposals() {
    Map<String, String> out = new TreeMap<>();
    // Ties (two versions proposed in the same millisecond) are broken by rowid: the later write wins.
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT namespace, version FROM proposals"
        + " ORDER BY namespace, proposed_at, rowid")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public synchronized void approve(Approval a) {
    inTransaction(() -> {
      try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO approvals (namespace, version, actor,"
          + " reason, approved_at) VALUES (?, ?, ?, ?, ?)")) {
        p.setString(1, a.namespace());
        p.setString(2, a.version());
        p.setString(3, a.actor());
        p.setString(4, a.reason());
        p.setLong(5, a.atMillis());
        p.executeUpdate();
      }
      audit(a.atMillis(), a.actor(), "approve", a.namespace(), "version " + a.version() + ": " + a.reason(), "", "",
          a.version(), a.reason());
    });
  }

  @Override
  public synchronized Optional<Approval> latestApproval(String namespace) {
    try (PreparedStatement p = db.prepareStatement("SELECT version, actor, reason, approved_at FROM approvals"
        + " WHERE namespace = ? ORDER BY approved_at DESC, rowid DESC LIMIT 1")) {
      p.setString(1, namespace);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(new Approval(namespace, rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getLong(4))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void pin(Pin pin) {
    inTransaction(() -> {
      try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO dryrun_pins (namespace, version, actor,"
          + " reason, pinned_at) VALUES (?, ?, ?, ?, ?)")) {
        p.setString(1, pin.namespace());
        p.setString(2, pin.version());
        p.setString(3, pin.actor());
        p.setString(4, pin.reason());
        p.setLong(5, pin.atMillis());
        p.executeUpdate();
      }
      audit(pin.atMillis(), pin.actor(), "pin", pin.namespace(), "dry-run pinned to version " + pin.version() + ": "
          + pin.reason(), "", "", pin.version(), pin.reason());
    });
  }

  @Override
  public synchronized Map<String, Pin> pins() {
    Map<String, Pin> out = new TreeMap<>();
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT namespace, version, actor, reason, pinned_at FROM dryrun_pins")) {
      while (rs.next()) {
        out.put(rs.getString(1), new Pin(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getLong(5)));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public synchronized void setMode(ModeChange c) {
    inTransaction(() -> {
      if (c.api()) {
        try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO modes (namespace, mode,"
            + " proposal_version, actor, reason, changed_at, label) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          p.setString(1, c.namespace());
          p.setString(2, c.mode());
          p.setString(3, c.proposalVersion());
          p.setString(4, c.actor());
          p.setString(5, c.reason());
          p.setLong(6, c.atMillis());
          p.setString(7, c.label());
          p.executeUpdate();
        }
      } else {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM modes WHERE namespace = ?")) {
          p.setString(1, c.namespace());
          p.executeUpdate();
        }
      }
      audit(c.atMillis(), c.actor(), "mode", c.namespace(), c.mode()
          + (c.proposalVersion() == null ? "" : " (proposal " + c.proposalVersion() + ")") + ": " + c.reason(),
          c.fromMode() == null ? "" : c.fromMode(), c.mode(), c.proposalVersion() == null ? "" : c.proposalVersion(),
          c.reason());
    });
  }

  @Override
  public synchronized Map<String, ApiMode> modes() {
    Map<String, ApiMode> out = new TreeMap<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT namespace, mode, proposal_version, label FROM modes")) {
      while (rs.next()) {
        out.put(rs.getString(1), new ApiMode(rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public synchronized List<AuditEntry> audit(int limit) {
    return audit(null, limit);
  }

  @Override
  public synchronized List<AuditEntry> audit(String namespace, int limit) {
    List<AuditEntry> out = new ArrayList<>();
    try (PreparedStatement p = db.prepareStatement("SELECT id, at, actor, action, subject, detail, from_mode, to_mode,"
        + " version, reason FROM audit_log" + (namespace == null ? "" : " WHERE subject = ?")
        + " ORDER BY id DESC LIMIT ?")) {
      int i = 1;
      if (namespace != null) {
        p.setString(i++, namespace);
      }
      p.setInt(i, limit);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(new AuditEntry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  private void audit(long at, String actor, String action, String subject, String detail, String from, String to,
      String version, String reason) throws SQLException {
    try (PreparedStatement p = db.prepareStatement("INSERT INTO audit_log (at, actor, action, subject, detail,"
        + " from_mode, to_mode, version, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setLong(1, at);
      p.setString(2, actor);
      p.setString(3, action);
      p.setString(4, subject);
      p.setString(5, detail);
      p.setString(6, from);
      p.setString(7, to);
      p.setString(8, version);
      p.setString(9, reason);
      p.executeUpdate();
    }
  }

  private interface SqlWork {
    void run() throws SQLException;
  }

  private void inTransaction(SqlWork work) {
    try {
      db.setAutoCommit(false);
      try {
        work.run();
        db.commit();
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot write to " + file + ": " + e.getMessage(), e);
    }
  }

  /** Table → row count, for diagnostics and tests. */
  public synchronized Map<String, Long> counts() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String t : List.of("edges", "edge_buckets", "edge_decisions", "ingested_sources", "proposals", "approvals",
        "modes", "dryrun_pins", "audit_log")) {
      try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + t)) {
        out.put(t, rs.next() ? rs.getLong(1) : 0);
      } catch (SQLException e) {
        throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close " + file + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing: the first error is the one to report
      }
    }
  }
}
