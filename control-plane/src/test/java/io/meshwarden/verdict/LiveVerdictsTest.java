package io.meshwarden.verdict;

import static io.meshwarden.verdict.VerdictFixtures.CART;
import static io.meshwarden.verdict.VerdictFixtures.CART_POLICY;
import static io.meshwarden.verdict.VerdictFixtures.EMPTY_CART;
import static io.meshwarden.verdict.VerdictFixtures.FRONTEND;
import static io.meshwarden.verdict.VerdictFixtures.FRONTEND_SAN;
import static io.meshwarden.verdict.VerdictFixtures.GET_CART;
import static io.meshwarden.verdict.VerdictFixtures.NS;
import static io.meshwarden.verdict.VerdictFixtures.OTHER;
import static io.meshwarden.verdict.VerdictFixtures.OTHER_SAN;
import static io.meshwarden.verdict.VerdictFixtures.RULE;
import static io.meshwarden.verdict.VerdictFixtures.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.finding.Finding;
import io.meshwarden.finding.Rule;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.ServingMode;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.listener.ServedTranslator;
import io.meshwarden.verdict.VerdictFixtures.Served;
import io.meshwarden.verdict.VerdictFixtures.TestClock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveVerdictsTest {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  final TestClock clock = new TestClock(T0.plusSeconds(1));
  final Served served = new Served();
  final List<String> log = new ArrayList<>();
  LiveVerdicts verdicts;

  LiveVerdicts start(int maxKeys, int samples) {
    verdicts = new LiveVerdicts(served, new LiveVerdicts.Settings(1024, Duration.ofHours(1), maxKeys, samples,
        Duration.ofMinutes(1), clock), line -> {
          synchronized (log) {
            log.add(line);
          }
        }).start();
    return verdicts;
  }

  LiveVerdicts start() {
    return start(100, 3);
  }

  @AfterEach
  void stop() {
    if (verdicts != null) {
      verdicts.close();
    }
  }

  DryRunReport report() throws Exception {
    return verdicts.report(NS).get(10, TimeUnit.SECONDS);
  }

  void send(io.meshwarden.aggregate.Observation o, io.meshwarden.traffic.PeerRef peer) {
    VerdictFixtures.accept(verdicts, o, peer);
  }

  @Test
  void dryRun_anUnobservedMethodIsAWouldDenyNamingItsRule_andAnObservedOneIsNot() throws Exception {
    served.set(VerdictFixtures.dryRun("v1", VerdictFixtures.envoy(PolicyLayers.dryRun(CART_POLICY))));
    start();
    send(call(T0, FRONTEND_SAN, GET_CART), FRONTEND);
    send(call(T0, FRONTEND_SAN, EMPTY_CART + "?user=secret"), FRONTEND);
    send(call(T0.plusMillis(5), FRONTEND_SAN, EMPTY_CART), FRONTEND);
    DryRunReport r = report();
    assertEquals(ServingMode.DRY_RUN, r.mode());
    assertEquals("v1", r.proposalVersion());
    assertEquals(1, r.wouldDeny().size(), r.wouldDeny().toString());
    DryRunReport.Flow f = r.wouldDeny().get(0);
    assertEquals(CART.id(), f.destination());
    assertEquals(FRONTEND.id(), f.peer());
    assertEquals(7070, f.port());
    assertEquals("POST", f.method());
    assertEquals(EMPTY_CART, f.path());
    assertEquals(RULE, f.policy());
    assertEquals("PEER_ADMITTED_REQUEST_NOT", f.reason());
    assertEquals(2, f.count());
    assertEquals(T0, f.firstSeen());
    assertEquals(T0.plusMillis(5), f.lastSeen());
    assertEquals(2, f.byEvaluator());
    assertEquals(0, f.byEnvoy());
    assertEquals(EMPTY_CART, f.samples().get(0).path(), "the query string is not kept");
    assertEquals(2, verdicts.wouldDeny(NS, "v1"));
    assertEquals(3, verdicts.judged(NS, "v1"));
    assertEquals(0, verdicts.wouldDeny(NS, "v2"));
    assertEquals(List.of(), r.drift(), "dry-run denies nothing");
    assertEquals(List.of(), log);
  }

  @Test
  void envoysShadowDenial_isAttributedToTheRuleByOurEvaluator() throws Exception {
    served.set(VerdictFixtures.dryRun("v1", VerdictFixtures.envoy(PolicyLayers.dryRun(CART_POLICY))));
    start();
    // Envoy names no policy when an ALLOW list denies: the rule comes from our evaluator.
    send(call(T0, OTHER_SAN, GET_CART, "denied", "via_upstream", 200), OTHER);
    DryRunReport.Flow f = report().wouldDeny().get(0);
    assertEquals(RULE, f.policy());
    assertEquals("REQUEST_ADMITTED_PEER_NOT", f.reason());
    assertEquals(1, f.byEnvoy());
    assertEquals(1, f.byEvaluator());
    assertEquals(0, f.disagreements());
    assertEquals("denied", f.samples().get(0).envoyShadow());
    assertEquals(0, verdicts.disagreements());
  }

  @Test
  void whenEnvoyAndOurEvaluatorDisagree_itIsCountedExposedAndStillAWouldDeny() throws Exception {
    served.set(VerdictFixtures.dryRun("v1", VerdictFixtures.envoy(PolicyLayers.dryRun(CART_POLICY))));
    start();
    send(call(T0, FRONTEND_SAN, GET_CART, "denied", "via_upstream", 200), FRONTEND);
    send(call(T0, FRONTEND_SAN, EMPTY_CART, "allowed", "via_upstream", 200), FRONTEND);
    DryRunReport r = report();
    assertEquals(2, r.wouldDeny().size(), r.wouldDeny().toString());
    DryRunReport.Flow envoyOnly = r.wouldDeny().stream().filter(f -> f.path().equals(GET_CART)).findFirst().orElseThrow();
    assertEquals("ENVOY_ONLY", envoyOnly.reason());
    assertEquals(RULE, envoyOnly.policy(), "the rule our evaluator found matching");
    assertEquals(1, envoyOnly.disagreements());
    DryRunReport.Flow oursOnly = r.wouldDeny().stream().filter(f -> f.path().equals(EMPTY_CART)).findFirst().orElseThrow();
    assertEquals(1, oursOnly.disagreements());
    assertEquals(0, oursOnly.byEnvoy());
    assertEquals(2, verdicts.disagreements());
    assertEquals(2, r.versions().get(0).disagreements());
  }

  @Test
  void proxylessGrpc_logsNoShadowResult_soOurEvaluatorIsTheOnlySource() throws Exception {
    ServedResources grpc = ServedTranslator.grpc(CART.id(), List.of(7070), PolicyLayers.dryRun(CART_POLICY),
        TranslatorOptions.DEFAULTS);
    served.set(VerdictFixtures.dryRun("v1", grpc));
    start();
    send(call(T0, FRONTEND_SAN, EMPTY_CART, null, null, 0), FRONTEND);
    send(call(T0, FRONTEND_SAN, GET_CART, null, null, 0), FRONTEND);
    DryRunReport r = report();
    assertEquals(1, r.wouldDeny().size());
    assertEquals(RULE, r.wouldDeny().get(0).policy());
    assertEquals(1, verdicts.wouldDeny(NS, "v1"));
  }

  @Test
  void enforce_denialsAreDrift_withAFindingAndOneLogLinePerKeyThenPeriodicSummaries() throws Exception {
    served.set(VerdictFixtures.enforce("a1", "p2"));
    start();
    for (int i = 0; i < 3; i++) {
      send(call(T0, FRONTEND_SAN, EMPTY_CART, "denied", "rbac_access_denied_matched_policy[none]", 403), FRONTEND);
    }
    DryRunReport r = report();
    assertEquals("a1", r.approvedVersion());
    assertEquals(1, r.drift().size());
    DryRunReport.Flow d = r.drift().get(0);
    assertEquals("a1", d.version());
    assertEquals(RULE, d.policy());
    assertEquals(3, d.count());
    assertEquals(3, d.byEnvoy());
    assertEquals(3, r.wouldDeny().get(0).count(), "the newest proposal, in the shadow rules, would deny them too");
    assertEquals("p2", r.wouldDeny().get(0).version());
    assertEquals(3, verdicts.driftTotal());
    Finding finding = r.findings().get(0);
    assertEquals(Rule.DRIFT, finding.rule());
    assertEquals(CART.id(), finding.subject());
    assertTrue(finding.evidence().get(0).contains(FRONTEND.id()) && finding.evidence().get(0).contains(EMPTY_CART)
        && finding.evidence().get(0).contains(RULE), finding.evidence().toString());
    List<String> lines = lines();
    assertEquals(1, lines.size(), "the first denial is logged at once, the repeats wait for the summary: " + lines);
    JsonObject first = new JsonObject(lines.get(0));
    assertEquals("drift", first.getString("event"));
    assertEquals(true, first.getBoolean("first"));
    assertEquals("shop/cart[Deployment]", first.getString("workload"), "named as every report names workloads");
    assertEquals("shop/frontend[Deployment]", first.getString("peer"));
    assertEquals(RULE, first.getString("policy"));
    clock.now = clock.now.plusSeconds(61);
    send(call(T0.plusSeconds(61), FRONTEND_SAN, EMPTY_CART, null, "rbac_access_denied_matched_policy[none]", 403),
        FRONTEND);
    report();
    lines = lines();
    assertEquals(2, lines.size(), lines.toString());
    JsonObject summary = new JsonObject(lines.get(1));
    assertEquals(false, summary.getBoolean("first"));
    assertEquals(3, summary.getLong("count"), "the denials since the first line");
    assertEquals(4, summary.getLong("total"));
  }

  @Test
  void enforce_ourEvaluatorsVerdictIsDriftEvenWhereEnvoyLetTheRequestThrough() throws Exception {
    served.set(VerdictFixtures.enforce("a1", "a1"));
    start();
    send(call(T0, FRONTEND_SAN, EMPTY_CART), FRONTEND);
    send(call(T0, FRONTEND_SAN, GET_CART), FRONTEND);
    DryRunReport r = report();
    assertEquals(1, r.driftTotal());
    assertEquals(1, r.drift().get(0).disagreements(), "Envoy forwarded it (via_upstream), our evaluator denies");
  }

  @Test
  void observeNamespacesAndUnservedWorkloadsAreNotJudged() throws Exception {
    served.set(new ServedNamespace(NS, ServingMode.OBSERVE, null, null, Map.of()));
    start();
    send(call(T0, FRONTEND_SAN, EMPTY_CART), FRONTEND);
    assertEquals(List.of(), report().wouldDeny());
    served.set(new ServedNamespace(NS, ServingMode.DRY_RUN, "v1", null, Map.of()));
    send(call(T0, FRONTEND_SAN, EMPTY_CART), FRONTEND);
    assertEquals(List.of(), report().wouldDeny());
    assertEquals(0, verdicts.judged());
    assertEquals(1, verdicts.notServed());
  }

  @Test
  void anL4RecordOnAnHttpPolicyPortIsUndecided_notAWouldDeny() throws Exception {
    served.set(VerdictFixtures.dryRun("v1", VerdictFixtures.envoy(PolicyLayers.dryRun(CART_POLICY))));
    start();
    send(VerdictFixtures.connection(T0, FRONTEND_SAN), FRONTEND);
    DryRunReport r = report();
    assertEquals(List.of(), r.wouldDeny());
    assertEquals(1, r.undecided());
    assertEquals(0, verdicts.judged(NS, "v1"));
  }

  @Test
  void countsAreKeptPerProposalVersion() throws Exception {
    served.set(VerdictFixtures.dryRun("v1", VerdictFixtures.envoy(PolicyLayers.dryRun(CART_POLICY))));
    start();
    send(call(T0, FRONTEND_SAN, EMPTY_CART), FRONTEND);
    report();
    WorkloadPolicyHolder.v2(served);
    send(call(T0.plusMillis(500), FRONTEND_SAN, EMPTY_CART), FRONTEND);
    send(call(T0.plusMillis(500), FRONTEND_SAN, "/hipstershop.CartService/Checkout"), FRONTEND);
    DryRunReport r = report();
    assertEquals("v2", r.proposalVersion());
    assertEquals(1, verdicts.wouldDeny(NS, "v1"));
    assertEquals(1, verdicts.wouldDeny(NS, "v2"), "v2 admits EmptyCart; Checkout is still unobserved");
    assertEquals(1, r.wouldDeny().size());
    assertEquals("/hipstershop.CartService/Checkout", r.wouldDeny().get(0).path());
    assertEquals(List.of("v2", "v1"), r.versions().stream().map(DryRunReport.Version::version).toList());
  }

  /** v2 of the proposal also admits EmptyCart. */
  static final class WorkloadPolicyHolder {
    static void v2(Served served) {
      served.set(VerdictFixtures.dryRun("v2", VerdictFixtures.envoy(PolicyLayers.dryRun(
          VerdictFixtures.cartPolicy(GET_CART, EMPTY_CART)))));
    }
  }

  @Test
  void pastTheKeyCap_flowsAreStillCountedUnderOverflow() throws Exception {
    served.set(VerdictFixtures.dryRun("v1", VerdictFixtures.envoy(PolicyLayers.dryRun(CART_POLICY))));
    start(2, 3);
    for (int i = 0; i < 5; i++) {
      send(call(T0, FRONTEND_SAN, "/hipstershop.CartService/M" + i), FRONTEND);
    }
    DryRunReport r = report();
    assertEquals(3, r.wouldDeny().size(), r.wouldDeny().toString());
    DryRunReport.Flow overflow = r.wouldDeny().get(2);
    assertEquals("OVERFLOW", overflow.reason());
    assertEquals(3, overflow.count());
    assertEquals(5, verdicts.wouldDeny(NS, "v1"), "the gate sees every flow, kept in detail or not");
    assertEquals(5, r.wouldDenyTotal());
    assertEquals(3, verdicts.overflowed());
  }

  @Test
  void samplesAreTheMostRecentFew() throws Exception {
    served.set(VerdictFixtures.dryRun("v1", VerdictFixtures.envoy(PolicyLayers.dryRun(CART_POLICY))));
    start(100, 2);
    for (int i = 0; i < 5; i++) {
      send(call(T0.plusSeconds(i), FRONTEND_SAN, EMPTY_CART), FRONTEND);
    }
    List<Sample> samples = report().wouldDeny().get(0).samples();
    assertEquals(List.of(T0.plusSeconds(3), T0.plusSeconds(4)), samples.stream().map(Sample::at).toList());
  }

  @Test
  void keysOlderThanTheWindowAreForgotten_andLeaveTheTotals() throws Exception {
    served.set(VerdictFixtures.dryRun("v1", VerdictFixtures.envoy(PolicyLayers.dryRun(CART_POLICY))));
    start();
    send(call(T0, FRONTEND_SAN, EMPTY_CART), FRONTEND);
    assertEquals(1, report().wouldDeny().size());
    clock.now = T0.plus(Duration.ofHours(1)).plusSeconds(5);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (verdicts.wouldDeny(NS, "v1") != 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertEquals(0, verdicts.wouldDeny(NS, "v1"));
    DryRunReport r = report();
    assertEquals(List.of(), r.wouldDeny());
    assertEquals(1, verdicts.wouldDenyTotal(), "the metric is a counter: it never goes down");
  }

  @Test
  void aFullQueueDropsAndCounts_neverBlocksTheAggregator() {
    served.set(VerdictFixtures.dryRun("v1", VerdictFixtures.envoy(PolicyLayers.dryRun(CART_POLICY))));
    verdicts = new LiveVerdicts(served, new LiveVerdicts.Settings(2, Duration.ofHours(1), 10, 1, Duration.ofMinutes(1),
        clock), line -> { });
    // Not started: nothing drains the queue.
    for (int i = 0; i < 5; i++) {
      send(call(T0, FRONTEND_SAN, EMPTY_CART), FRONTEND);
    }
    assertEquals(3, verdicts.dropped());
  }

  List<String> lines() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  @Test
  void enforce_aDenialOnlyEnvoyReports_isDriftNamingThePolicyEnvoyMatched() throws Exception {
    served.set(VerdictFixtures.enforce("a1", "a1"));
    start();
    // Our evaluator lets GetCart through; Envoy's 403 names a DENY policy of its own.
    send(call(T0, FRONTEND_SAN, GET_CART, null, "rbac_access_denied_matched_policy[ns-deny-all]", 403), FRONTEND);
    DryRunReport.Flow d = report().drift().get(0);
    assertEquals("ENVOY_ONLY", d.reason());
    assertEquals(RULE, d.policy(), "the rule our evaluator found matching comes first");
    assertEquals(1, d.byEnvoy());
    assertEquals(0, d.byEvaluator());
    assertEquals(1, d.disagreements());
    assertEquals("ns-deny-all", Judge.policyIn("rbac_access_denied_matched_policy[ns-deny-all]"));
    assertEquals(null, Judge.policyIn("rbac_access_denied_matched_policy[none]"));
  }
}
