package io.meshwarden.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.analysis.AnalysisReport;
import io.meshwarden.analysis.Analyzer;
import io.meshwarden.exposure.EntryPointScanner;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.ingest.traffic.TrafficLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.traffic.TrafficModel;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exposure means an entry point; severities follow what is really reachable, and one problem is one finding. */
class ExposureSeverityTest {
  private static final String BOUTIQUE = "../manifests/examples/online-boutique/";
  private static final String WITHOUT_POLICIES = BOUTIQUE + "upstream/release/kubernetes-manifests.yaml";
  private static final String WITH_POLICIES = BOUTIQUE + "derived/kustomize-base+network-policies.rendered.yaml";

  private static List<Finding> of(AnalysisReport r, Rule rule) {
    return r.findings().stream().filter(f -> f.rule() == rule).toList();
  }

  @Test
  void onlineBoutiqueWithoutPolicies_hasExactlyTheFrontendLoadBalancerAsEntryPoint_andNoCriticalFlood() throws Exception {
    ClusterModel m = new ManifestLoader(false).load(List.of(WITHOUT_POLICIES)).model();
    assertEquals(List.of("default/frontend LoadBalancer Service default/frontend-external"),
        EntryPointScanner.scan(m, TrafficModel.empty()).stream()
            .map(e -> e.workload().namespace() + "/" + e.workload().name() + " " + e.kind() + " " + e.via()).toList());
    AnalysisReport r = Analyzer.run(m, TrafficModel.empty(), Analyzer.Options.defaults()).report();
    assertEquals(0, r.countsBySeverity().get(Severity.CRITICAL), r.findings().toString());
    assertEquals(List.of("default/Deployment/frontend"), of(r, Rule.EXTERNAL_EXPOSURE).stream().map(Finding::subject).toList());
    List<Finding> lateral = of(r, Rule.LATERAL_MOVEMENT);
    assertEquals(List.of("default/Deployment/frontend"), lateral.stream().map(Finding::subject).toList());
    assertEquals(Severity.HIGH, lateral.get(0).severity(), "without traffic, unneeded hops cannot be told from needed ones");
    assertEquals(List.of(), of(r, Rule.ANY_ADDRESS), "unprotected workloads are MW102's, not one finding each");
    assertTrue(of(r, Rule.NO_DEFAULT_DENY).get(0).evidence().get(0).startsWith(
        "entry points among them (see MW103): default/frontend; the others are reachable from outside only where pod IPs"
            + " are routable"), of(r, Rule.NO_DEFAULT_DENY).toString());
  }

  @Test
  void onlineBoutiqueWithItsFlows_theFrontendIsAlsoSeenReceivingPublicTraffic_asOneExposureFinding() throws Exception {
    ClusterModel m = new ManifestLoader(false)
        .load(List.of(WITHOUT_POLICIES, BOUTIQUE + "flows/endpointslices.yaml")).model();
    TrafficModel t = TrafficLoader.load(List.of(BOUTIQUE + "flows/envoy-inbound-access-log.jsonl"), m,
        TrafficLoader.Options.defaults()).traffic();
    assertEquals(List.of("frontend LoadBalancer", "frontend ObservedPublic"), EntryPointScanner.scan(m, t).stream()
        .map(e -> e.workload().name() + " " + e.kind()).toList());
    AnalysisReport r = Analyzer.run(m, t, Analyzer.Options.defaults()).report();
    List<Finding> exposure = of(r, Rule.EXTERNAL_EXPOSURE).stream().filter(f -> f.title().contains("outside the cluster via"))
        .toList();
    assertEquals(1, exposure.size(), exposure.toString());
    assertTrue(exposure.get(0).evidence().get(1).startsWith("observed: 200 flows from "), exposure.get(0).evidence().toString());
    List<Finding> lateral = of(r, Rule.LATERAL_MOVEMENT);
    assertEquals(List.of("default/Deployment/frontend"), lateral.stream().map(Finding::subject).toList());
    // Inbound HTTP logs see neither frontend's egress nor Redis: the direct hop is unknown, not unused. The
    // hop into emailservice is unused (its inbound log saw only checkoutservice), which makes the path critical.
    assertEquals(Severity.CRITICAL, lateral.get(0).severity());
    assertTrue(lateral.get(0).title().endsWith("over allowed hops no traffic used, nearest default/redis-cart in 2 hops"),
        lateral.get(0).title());
    assertTrue(lateral.get(0).evidence().contains("frontend -[All Connections, unused]-> emailservice -[All Connections,"
        + " not observable]-> redis-cart (image redis:alpine)"), lateral.get(0).evidence().toString());
  }

  private static final String ANY_ADDRESS = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: api}}
          spec:
            containers: [{name: c, image: api, ports: [{containerPort: 8080}]}]
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: c, image: web, ports: [{containerPort: 8080}]}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        type: NodePort
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: public, namespace: shop}
      spec:
        podSelector: {}
        ingress:
        - from: [{ipBlock: {cidr: 0.0.0.0/1}}, {ipBlock: {cidr: 128.0.0.0/1, except: [192.168.0.0/16]}}]
          ports: [{port: 8080}]
      """;

  @Test
  void aPolicyAdmittingEveryAddress_isExposureOnlyBehindAnEntryPoint_elseALowerAnyAddressFinding() throws Exception {
    ClusterModel m = new ManifestLoader(false).load("shop.yaml", new StringReader(ANY_ADDRESS)).model();
    AnalysisReport r = Analyzer.run(m, TrafficModel.empty(), Analyzer.Options.defaults()).report();
    List<Finding> any = of(r, Rule.ANY_ADDRESS);
    assertEquals(1, any.size(), any.toString());
    assertEquals(Severity.LOW, any.get(0).severity());
    assertEquals("ingress rule 1 of NetworkPolicy shop/public admits every public address into 1 workload that no entry"
        + " point leads to (reachable only where pod IPs are routable)", any.get(0).title());
    assertEquals(List.of("admits any address into shop/api : TCP 8080"), any.get(0).evidence());
    assertEquals(33, any.get(0).origin().line(), "the line of the ingress rule, not of the policy");
    assertEquals(List.of("shop/Deployment/web"), of(r, Rule.EXTERNAL_EXPOSURE).stream().map(Finding::subject).toList());
  }

  @Test
  void coversPublicSpace_allowsGapsOnlyInPrivateUseSpace() {
    List<IpRange> allBut10 = cidrs("0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3",
        "64.0.0.0/2", "128.0.0.0/1");
    assertTrue(AnyAddressDetector.coversPublicSpace(cidrs("0.0.0.0/0")));
    assertTrue(AnyAddressDetector.coversPublicSpace(allBut10), "the only gap, 10.0.0.0/8, is private");
    assertFalse(AnyAddressDetector.coversPublicSpace(allBut10.subList(2, allBut10.size())), "8.0.0.0/7 is public");
    assertFalse(AnyAddressDetector.coversPublicSpace(cidrs("203.0.113.0/24")));
  }

  @Test
  void coversPublicSpace_ipv6_allowsGapsOnlyInPrivateUseSpace() {
    assertTrue(AnyAddressDetector.coversPublicSpace(cidrs("::/0")));
    assertTrue(AnyAddressDetector.coversPublicSpace(cidrs("::/1", "8000::/2", "c000::/3", "e000::/4", "f000::/5",
        "f800::/6", "fe00::/7")), "the only gap, fc00::/7, is unique-local");
    assertFalse(AnyAddressDetector.coversPublicSpace(cidrs("::/1", "c000::/2")), "8000::/2 is public");
    assertFalse(AnyAddressDetector.coversPublicSpace(cidrs("2001:db8::/32")));
    assertFalse(AnyAddressDetector.coversPublicSpace(cidrs("::/1", "10.0.0.0/8")), "half of each family");
  }

  private static List<IpRange> cidrs(String... cidrs) {
    return java.util.Arrays.stream(cidrs).map(IpRange::parseCidr).toList();
  }

  @Test
  void anUnusedAndOverBroadRule_isOneFinding_namingBothRules() throws Exception {
    AnalysisReport r = FindingsEngineTest.analyze(WITH_POLICIES, FindingsEngineTest.documentedTraffic());
    List<Finding> onRule = r.findings().stream()
        .filter(f -> "egress rule 1 of NetworkPolicy default/redis-cart".equals(f.locus())).toList();
    assertEquals(1, onRule.size(), onRule.toString());
    Finding f = onRule.get(0);
    assertEquals(Rule.ALLOWED_BUT_UNOBSERVED, f.rule());
    assertEquals(List.of(Rule.OVER_BROAD_RULE), f.alsoRules());
    assertTrue(f.title().startsWith("egress rule 1 of NetworkPolicy default/redis-cart allows 11 workload pairs, 0 used;"
        + " is broad: no to: admits every destination"), f.title());
    assertTrue(f.evidence().stream().anyMatch(e -> e.startsWith("MW106: no to:")), f.evidence().toString());
  }

  @Test
  void merge_keepsTheMostSevereAsLead_andLeavesFindingsWithoutLocusAlone() {
    var o = io.meshwarden.model.Origin.UNKNOWN;
    Finding unused = new Finding(Rule.ALLOWED_BUT_UNOBSERVED, Severity.LOW, "egress rule 1 of NetworkPolicy a/b allows 2",
        "NetworkPolicy a/b", List.of("u"), o, "remove").at("egress rule 1 of NetworkPolicy a/b");
    Finding broad = new Finding(Rule.OVER_BROAD_RULE, Severity.MEDIUM, "egress rule 1 of NetworkPolicy a/b is broad",
        "NetworkPolicy a/b", List.of("b"), o, "narrow").at("egress rule 1 of NetworkPolicy a/b");
    Finding other = new Finding(Rule.NO_DEFAULT_DENY, Severity.LOW, "ns a", "a", List.of(), o, "deny");
    List<Finding> merged = FindingsEngine.merge(List.of(unused, other, broad));
    assertEquals(2, merged.size());
    Finding m = merged.stream().filter(f -> f.locus() != null).findFirst().orElseThrow();
    assertEquals(Rule.OVER_BROAD_RULE, m.rule());
    assertEquals(Severity.MEDIUM, m.severity());
    assertEquals("egress rule 1 of NetworkPolicy a/b is broad; allows 2", m.title());
    assertEquals(List.of("b", "MW101: u"), m.evidence());
    assertEquals(List.of(Rule.ALLOWED_BUT_UNOBSERVED), m.alsoRules());
    assertEquals("narrow remove", m.remediation());
  }
}
