package io.meshwarden.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {
  private static StoredEdge edge(long count, List<StoredEdge.Bucket> buckets) {
    return new StoredEdge("default/Deployment/frontend", "default/Deployment/cartservice", "TCP", 7070, "POST",
        "/hipstershop.CartService/AddItem", count, count * 10, 0, 1_000, 2_000, buckets,
        List.of(new StoredEdge.Decision("denied", "", "via_upstream", count)), java.util.Set.of("ENVOY_INBOUND_HTTP"));
  }

  @Test
  void createsTheDirectory_migratesToTheLatestSchema_inWalMode(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("a/b");
    try (SqliteStore s = SqliteStore.open(state)) {
      assertEquals(Migrations.ALL.size(), s.schemaVersion());
    }
    assertTrue(Files.exists(state.resolve(SqliteStore.FILE)));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + state.resolve(SqliteStore.FILE));
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertEquals("wal", rs.getString(1));
    }
  }

  @Test
  void edgesWithBucketsAndDecisionsSurviveAReopen(@TempDir Path dir) {
    try (SqliteStore s = SqliteStore.open(dir)) {
      s.write(new Flush(List.of(new Flush.Changed(edge(3, List.of(new StoredEdge.Bucket(10, 1, 10),
          new StoredEdge.Bucket(11, 2, 20))))), List.of(), Long.MIN_VALUE, List.of()));
      // A later flush carries the totals and what was seen since: hour 11 twice more, hour 12 once.
      s.write(new Flush(List.of(new Flush.Changed(edge(6, List.of(new StoredEdge.Bucket(11, 2, 20),
          new StoredEdge.Bucket(12, 1, 10))))), List.of(), Long.MIN_VALUE, List.of()));
    }
    try (SqliteStore s = SqliteStore.open(dir)) {
      List<StoredEdge> edges = s.loadEdges();
      assertEquals(1, edges.size());
      assertEquals(edge(6, List.of(new StoredEdge.Bucket(10, 1, 10), new StoredEdge.Bucket(11, 4, 40),
          new StoredEdge.Bucket(12, 1, 10))), edges.get(0));
      assertEquals(edge(6, List.of()), s.loadEdgeTotals().get(0), "totals without the buckets");
    }
  }

  @Test
  void evictionDropsOldBuckets_andRemovedEdgesGoWithTheirBuckets(@TempDir Path dir) {
    try (SqliteStore s = SqliteStore.open(dir)) {
      StoredEdge e = edge(3, List.of(new StoredEdge.Bucket(10, 1, 10), new StoredEdge.Bucket(11, 2, 20)));
      s.write(new Flush(List.of(new Flush.Changed(e)), List.of(), Long.MIN_VALUE, List.of()));
      s.write(new Flush(List.of(), List.of(), 11, List.of()));
      assertEquals(List.of(new StoredEdge.Bucket(11, 2, 20)), s.loadEdges().get(0).buckets());
      s.write(new Flush(List.of(), List.of(new Flush.EdgeId(e.source(), e.destination(), e.protocol(), e.port(),
          e.method(), e.path())), Long.MIN_VALUE, List.of()));
      assertEquals(List.of(), s.loadEdges());
      assertEquals(0L, s.counts().get("edge_buckets"));
      assertEquals(0L, s.counts().get("edge_decisions"));
    }
  }

  @Test
  void ingestedSourceIsRecordedWithItsFlush(@TempDir Path dir) {
    try (SqliteStore s = SqliteStore.open(dir)) {
      assertFalse(s.sourceIngested("abc"));
      s.write(new Flush(List.of(), List.of(), Long.MIN_VALUE, List.of(new Flush.IngestedSource("abc", "f.jsonl", 7, 1))));
      assertTrue(s.sourceIngested("abc"));
    }
  }

  @Test
  void aFlushThatFailsHalfwayWritesNothing(@TempDir Path dir) {
    try (SqliteStore s = SqliteStore.open(dir)) {
      StoredEdge.Decision d = new StoredEdge.Decision("denied", "", "", 1);
      StoredEdge broken = new StoredEdge("a/Deployment/x", "a/Deployment/y", "TCP", 80, "", "", 1, 1, 0, 1, 1,
          List.of(new StoredEdge.Bucket(1, 1, 1)), List.of(d, d), java.util.Set.of());
      // The duplicate decision fails on its primary key after the edge and its bucket were written.
      assertThrows(StoreException.class, () -> s.write(new Flush(List.of(new Flush.Changed(broken)), List.of(),
          Long.MIN_VALUE, List.of(new Flush.IngestedSource("abc", "f", 1, 1)))));
      assertEquals(List.of(), s.loadEdges());
      assertFalse(s.sourceIngested("abc"));
    }
  }

  @Test
  void modesApprovalsAndProposalsAreAudited(@TempDir Path dir) {
    try (SqliteStore s = SqliteStore.open(dir)) {
      s.putProposal(new Store.Proposal("shop", "v1", "rules", 1));
      s.approve(new Store.Approval("shop", "v1", "alice", "reviewed", 2));
      s.setMode(new Store.ModeChange("shop", "dry-run", "enforce", "v1", "alice", "dry run clean", "dry-run", true, 3));
      assertEquals(Map.of("shop", new Store.ApiMode("enforce", "v1", "dry-run")), s.modes());
      assertEquals("v1", s.latestApproval("shop").orElseThrow().version());
      assertEquals("rules", s.proposal("shop", "v1").orElseThrow().content());
      List<Store.AuditEntry> audit = s.audit(10);
      assertEquals(List.of("mode", "approve", "propose"), audit.stream().map(Store.AuditEntry::action).toList());
      assertEquals("enforce (proposal v1): dry run clean", audit.get(0).detail());
      assertEquals(List.of("dry-run", "enforce", "v1", "dry run clean"),
          List.of(audit.get(0).from(), audit.get(0).to(), audit.get(0).version(), audit.get(0).reason()));
      assertEquals(audit, s.audit("shop", 10));
      assertEquals(List.of(), s.audit("other", 10));
    }
  }

  @Test
  void aDryRunPinIsAuditedReplacedAndSurvivesAReopenButNeedsAStoredProposal(@TempDir Path dir) {
    try (SqliteStore s = SqliteStore.open(dir)) {
      s.putProposal(new Store.Proposal("shop", "v1", "one", 1));
      s.putProposal(new Store.Proposal("shop", "v2", "two", 2));
      s.pin(new Store.Pin("shop", "v1", "alice", "review v1", 3));
      s.pin(new Store.Pin("shop", "v2", "bob", "re-pin", 4));
      Store.AuditEntry last = s.audit("shop", 1).get(0);
      assertEquals(List.of("bob", "pin", "v2", "re-pin"), List.of(last.actor(), last.action(), last.version(),
          last.reason()));
      assertThrows(StoreException.class, () -> s.pin(new Store.Pin("shop", "v9", "eve", "no such version", 5)));
      assertEquals(2, s.audit("shop", 10).stream().filter(e -> e.action().equals("pin")).count(),
          "a refused pin writes no audit entry");
    }
    try (SqliteStore s = SqliteStore.open(dir)) {
      assertEquals(Map.of("shop", new Store.Pin("shop", "v2", "bob", "re-pin", 4)), s.pins());
      assertEquals(1L, s.counts().get("dryrun_pins"));
    }
  }

  @Test
  void theLabelTakingOverDropsTheApiModeAndANewestProposalCanComeBack(@TempDir Path dir) {
    try (SqliteStore s = SqliteStore.open(dir)) {
      s.setMode(new Store.ModeChange("shop", "observe", "dry-run", null, "alice", "try it", null, true, 1));
      s.setMode(new Store.ModeChange("shop", "dry-run", "observe", null, "namespace-label", "label changed", "observe",
          false, 2));
      assertEquals(Map.of(), s.modes());
      assertEquals("label changed", s.audit("shop", 1).get(0).reason());
      s.putProposal(new Store.Proposal("shop", "v1", "one", 10));
      s.putProposal(new Store.Proposal("shop", "v2", "two", 20));
      assertEquals(Map.of("shop", "v2"), s.newestProposals());
      s.putProposal(new Store.Proposal("shop", "v1", "ignored: a version's content never changes", 30));
      assertEquals(Map.of("shop", "v1"), s.newestProposals());
      assertEquals("one", s.proposal("shop", "v1").orElseThrow().content());
      assertEquals(10, s.proposal("shop", "v1").orElseThrow().createdAtMillis());
    }
  }

  @Test
  void aStoreOfTheFirstSchemaIsMigratedKeepingItsEdges(@TempDir Path dir) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE));
        Statement st = c.createStatement()) {
      for (String sql : Migrations.ALL.get(0)) {
        st.execute(sql);
      }
      st.execute("PRAGMA user_version = 1");
      st.execute("INSERT INTO edges (source, destination, protocol, port, method, path, count, bytes, denied,"
          + " first_seen, last_seen) VALUES ('a/Deployment/x', 'a/Deployment/y', 'TCP', 80, '', '', 7, 70, 0, 1, 2)");
    }
    try (SqliteStore s = SqliteStore.open(dir)) {
      assertEquals(Migrations.ALL.size(), s.schemaVersion());
      StoredEdge e = s.loadEdges().get(0);
      assertEquals(7, e.count());
      assertEquals(java.util.Set.of(), e.observers(), "edges from before the column say nothing of their sources");
    }
  }

  @Test
  void refusesAStoreFromANewerRelease(@TempDir Path dir) throws Exception {
    SqliteStore.open(dir).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE));
        Statement st = c.createStatement()) {
      st.execute("PRAGMA user_version = 99");
    }
    StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(dir));
    assertTrue(e.getMessage().contains("schema version 99 is newer"), e.getMessage());
  }
}
