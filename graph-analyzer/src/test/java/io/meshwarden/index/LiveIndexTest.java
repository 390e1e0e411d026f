package io.meshwarden.index;

import static io.meshwarden.index.Fixtures.cronJob;
import static io.meshwarden.index.Fixtures.denyAll;
import static io.meshwarden.index.Fixtures.deployment;
import static io.meshwarden.index.Fixtures.job;
import static io.meshwarden.index.Fixtures.pod;
import static io.meshwarden.index.Fixtures.replicaSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveIndexTest {
  private static final Map<String, String> WEB = Map.of("app", "web");

  private final Fixtures.TestClock clock = new Fixtures.TestClock();
  private final LiveIndex index = Fixtures.index(clock);

  @AfterEach
  void close() {
    index.close();
  }

  private ClusterSnapshot flush() throws Exception {
    return index.flush().get(10, TimeUnit.SECONDS);
  }

  private static List<String> ids(ClusterSnapshot s) {
    return s.model().workloads().stream().map(Workload::id).toList();
  }

  @Test
  void podsFollowOwnerReferencesToTheirDeployment() throws Exception {
    index.apply(deployment("a", "web", WEB, 8080));
    index.apply(replicaSet("a", "web", "5d4f", WEB, 8080));
    index.apply(pod("a", "web-5d4f-x1", "ReplicaSet", "web-5d4f", WEB, "10.0.0.1"));
    index.apply(pod("a", "web-5d4f-x2", "ReplicaSet", "web-5d4f", WEB, "10.0.0.2"));
    ClusterSnapshot s = flush();

    assertEquals(List.of("a/Deployment/web"), ids(s));
    Workload web = s.model().workloads().get(0);
    assertEquals("sa-web", web.serviceAccount());
    assertEquals(List.of(), web.podIps(), "pod IPs are status, not spec");
    assertEquals(2, s.status(web).pods());
    assertEquals(List.of("10.0.0.1", "10.0.0.2"), s.status(web).podIps());
    assertEquals("a/Deployment/web", index.ownerOf("10.0.0.2", null).orElseThrow().workloadId());
  }

  @Test
  void aRolloutKeepsTheWorkloadAndIsNoPolicyChange() throws Exception {
    index.apply(deployment("a", "web", WEB, 8080));
    index.apply(replicaSet("a", "web", "5d4f", WEB, 8080));
    index.apply(pod("a", "web-5d4f-x1", "ReplicaSet", "web-5d4f", WEB, "10.0.0.1"));
    ClusterSnapshot before = flush();
    List<SnapshotChange> changes = new CopyOnWriteArrayList<>();
    index.subscribe(ns -> true, changes::add);

    index.apply(replicaSet("a", "web", "77aa", WEB, 8080));
    index.apply(pod("a", "web-77aa-y1", "ReplicaSet", "web-77aa", WEB, "10.0.0.9"));
    index.delete(pod("a", "web-5d4f-x1", "ReplicaSet", "web-5d4f", WEB, "10.0.0.1"));
    ClusterSnapshot after = flush();

    assertEquals(List.of("a/Deployment/web"), ids(after), "old and new ReplicaSets are not extra workloads");
    assertSame(before.model(), after.model(), "the policy view is untouched by a rollout");
    assertEquals(List.of("web-77aa-y1"), after.status(after.model().workloads().get(0)).podNames());
    awaitChanges(changes, 1);
    assertFalse(changes.get(0).policyChanged());
    assertEquals(java.util.Set.of("a"), changes.get(0).statusNamespaces());
  }

  @Test
  void aPodWhoseReplicaSetIsNotYetSeenNamesItsDeploymentByTemplateHash() throws Exception {
    index.apply(pod("a", "web-5d4f-x1", "ReplicaSet", "web-5d4f", Map.of("app", "web", "pod-template-hash", "5d4f"),
        "10.0.0.1"));
    assertEquals(List.of("a/Deployment/web"), ids(flush()));
  }

  @Test
  void jobsOfACronJobAreTheCronJob() throws Exception {
    index.apply(cronJob("a", "backup", Map.of("app", "backup")));
    index.apply(job("a", "backup-2911", "backup", Map.of("app", "backup")));
    index.apply(pod("a", "backup-2911-p", "Job", "backup-2911", Map.of("app", "backup"), "10.0.0.5"));
    index.apply(pod("a", "debug", null, null, Map.of("app", "debug"), "10.0.0.6"));
    ClusterSnapshot s = flush();

    assertEquals(List.of("a/CronJob/backup", "a/Pod/debug"), ids(s));
    assertEquals("a/CronJob/backup", index.ownerOf("10.0.0.5", null).orElseThrow().workloadId());
  }

  @Test
  void aNewPodInOneNamespaceRebuildsNothingInAnother() throws Exception {
    index.apply(deployment("a", "web", WEB, 8080));
    index.apply(deployment("b", "web", WEB, 8080));
    index.apply(denyAll("b", "deny"));
    ClusterSnapshot before = flush();
    long rebuilt = index.stats().namespacesRebuilt();
    List<SnapshotChange> seenByB = new CopyOnWriteArrayList<>();
    List<SnapshotChange> seenByA = new CopyOnWriteArrayList<>();
    index.subscribe("b"::equals, seenByB::add);
    index.subscribe("a"::equals, seenByA::add);

    index.apply(pod("a", "web-1", "Deployment", "web", WEB, "10.0.0.1"));
    ClusterSnapshot after = flush();

    assertEquals(rebuilt + 1, index.stats().namespacesRebuilt(), "only namespace a is rebuilt");
    assertEquals(before.namespaceVersion("b"), after.namespaceVersion("b"));
    assertTrue(after.namespaceVersion("a") > before.namespaceVersion("a"));
    awaitChanges(seenByA, 1);
    assertEquals(List.of(), seenByB, "a subscriber of namespace b hears nothing");
  }

  @Test
  void aSpecChangeIsAPolicyChangeOfItsNamespaceOnly() throws Exception {
    index.apply(deployment("a", "web", WEB, 8080));
    index.apply(deployment("b", "web", WEB, 8080));
    ClusterSnapshot before = flush();
    List<SnapshotChange> changes = new CopyOnWriteArrayList<>();
    index.subscribe(ns -> true, changes::add);

    index.apply(deployment("a", "web", Map.of("app", "web", "tier", "front"), 8080));
    ClusterSnapshot after = flush();

    assertNotSame(before.model(), after.model());
    assertEquals(Map.of("app", "web", "tier", "front"), after.model().workloads().get(0).podLabels());
    assertSame(before.model().workloads().get(1), after.model().workloads().get(1), "namespace b is reused");
    awaitChanges(changes, 1);
    assertEquals(java.util.Set.of("a"), changes.get(0).specNamespaces());
    assertTrue(changes.get(0).policyChanged());
  }

  @Test
  void aBadObjectIsADiagnosticAndItsLastGoodVersionStays() throws Exception {
    index.apply(denyAll("a", "policy"));
    index.apply(deployment("a", "web", WEB, 8080));
    flush();

    index.apply(Fixtures.badPort("a", "policy"));
    index.apply(deployment("a", "api", Map.of("app", "api"), 9090));
    ClusterSnapshot s = flush();

    assertEquals(1, s.model().networkPolicies().size());
    assertTrue(s.model().networkPolicies().get(0).ingress().isEmpty(), "the deny-all version stays in force");
    assertEquals(List.of("a/Deployment/api", "a/Deployment/web"), ids(s), "the rest keeps working");
    Diagnostic d = s.diagnostics().stream().filter(x -> x.code().equals("invalid-object")).findFirst().orElseThrow();
    assertEquals(ObjectKey.of("NetworkPolicy", "a", "policy"), d.object());
    assertEquals(Diagnostic.Severity.ERROR, d.severity());
    assertTrue(d.message().contains("70000") && d.message().contains("last good version"), d.message());
    assertEquals("cluster:NetworkPolicy a/policy", d.origin().file());
    assertEquals(1, index.stats().invalidObjects());

    index.apply(denyAll("a", "policy"));
    assertTrue(flush().diagnostics().isEmpty(), "a good version clears the diagnostic");
  }

  @Test
  void aReleasedPodIpStillResolvesToItsFormerOwnerAtTheTimeOfTheFlow() throws Exception {
    index.apply(pod("a", "old", null, null, WEB, "10.0.0.7"));
    flush();
    java.time.Instant whileOld = clock.instant();
    clock.advance(Duration.ofSeconds(30));
    index.delete(ObjectKey.of("Pod", "a", "old"));
    flush();

    assertEquals("a/Pod/old", index.ownerOf("10.0.0.7", whileOld).orElseThrow().workloadId());
    assertEquals("a/Pod/old", index.ownerOf("10.0.0.7", null).orElseThrow().workloadId(),
        "a dead pod's address resolves to its last owner");

    clock.advance(Duration.ofSeconds(30));
    index.apply(pod("b", "new", null, null, WEB, "10.0.0.7"));
    flush();
    assertEquals("b/Pod/new", index.ownerOf("10.0.0.7", null).orElseThrow().workloadId());
    assertEquals("a/Pod/old", index.ownerOf("10.0.0.7", whileOld).orElseThrow().workloadId());

    clock.advance(Duration.ofMinutes(20));
    index.apply(pod("c", "tick", null, null, WEB, "10.9.9.9"));
    flush();
    assertTrue(index.ownerOf("10.0.0.7", whileOld).isEmpty(), "owners are forgotten after the retention");
  }

  @Test
  void resyncRemovesObjectsTheListNoLongerHas() throws Exception {
    index.apply(denyAll("a", "one"));
    index.apply(denyAll("b", "two"));
    flush();
    index.resync("NetworkPolicy", null, List.of(denyAll("b", "two")));
    ClusterSnapshot s = flush();
    assertEquals(List.of("b/two"), s.model().networkPolicies().stream().map(p -> p.qualifiedName()).toList());
  }

  @Test
  void namespaceLabelsAndAdminPoliciesAreClusterScopedChanges() throws Exception {
    index.apply(deployment("a", "web", WEB, 8080));
    flush();
    List<SnapshotChange> changes = new CopyOnWriteArrayList<>();
    index.subscribe("nobody"::equals, changes::add);

    index.apply(Fixtures.namespace("a", Map.of("team", "x")));
    index.apply(Fixtures.adminPolicy("deny", 10));
    ClusterSnapshot s = flush();

    assertEquals("x", s.model().namespace("a").labels().get("team"));
    assertEquals(1, s.model().adminNetworkPolicies().size());
    // The two events may be published together or, when the debouncer fires between them, apart.
    awaitAtLeast(changes, 1);
    assertTrue(changes.stream().allMatch(SnapshotChange::clusterScoped), "every subscriber hears cluster-scoped"
        + " changes, and only those: " + changes);
  }

  @Test
  void clusterNetworkPoliciesAreEvaluated_antreasKindOfTheSameNameIsNot() throws Exception {
    index.apply(deployment("a", "web", WEB, 8080));
    index.apply(deployment("b", "cli", Map.of("app", "cli"), 8080));
    index.apply(Fixtures.clusterPolicy("policy.networking.k8s.io", "v1alpha2", "deny", "Baseline", 10));
    index.apply(Fixtures.clusterPolicy("crd.antrea.io", "v1beta1", "antrea", "Admin", 5));
    ClusterSnapshot s = flush();

    assertEquals(List.of("deny"), s.model().clusterNetworkPolicies().stream().map(p -> p.name()).toList());
    var connectivity = io.meshwarden.connectivity.ConnectivityAnalyzer.analyze(s.model());
    var web = s.model().workloads().stream().filter(w -> w.name().equals("web")).findFirst().orElseThrow();
    var cli = s.model().workloads().stream().filter(w -> w.name().equals("cli")).findFirst().orElseThrow();
    assertEquals("No Connections", connectivity.allowed(new io.meshwarden.connectivity.Peer.WorkloadPeer(cli),
        new io.meshwarden.connectivity.Peer.WorkloadPeer(web)).toString(), "the Baseline deny is in force");
    List<Diagnostic> notEvaluated = s.diagnostics().stream().filter(d -> d.code().equals("not-evaluated")).toList();
    assertEquals(1, notEvaluated.size(), s.diagnostics().toString());
    assertEquals("antrea", notEvaluated.get(0).object().name());
    assertTrue(notEvaluated.get(0).message().contains("crd.antrea.io"), notEvaluated.get(0).message());
  }

  @Test
  void publicationIsDebounced() throws Exception {
    for (int i = 0; i < 50; i++) {
      index.apply(pod("a", "p" + i, null, null, WEB, "10.0.1." + i));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (index.current().model().workloads().size() < 50 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(50, index.current().model().workloads().size(), "published without flush");
    assertTrue(index.stats().publications() < 50, "events are batched: " + index.stats().publications());
  }

  private static void awaitAtLeast(List<SnapshotChange> changes, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (changes.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertTrue(changes.size() >= n, "changes: " + changes);
  }

  private static void awaitChanges(List<SnapshotChange> changes, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (changes.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    Thread.sleep(20);
    assertEquals(n, changes.size(), "changes: " + changes);
  }
}
