package io.meshwarden.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.finding.Finding;
import io.meshwarden.finding.Rule;
import io.meshwarden.graph.GraphEdge;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.ingest.traffic.TrafficLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.traffic.TrafficModel;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Manifests and real or derived flow files in, findings and graph out, as `meshwarden analyze` runs it. */
class AnalyzeEndToEndTest {
  private static final String BOUTIQUE = "../manifests/examples/online-boutique/";
  private static final String FLOWS = "../manifests/examples/online-boutique/flows/";
  private static final String HUBBLE = "src/test/resources/observed-traffic/hubble-flows/";

  private static Analyzer.Result run(String namespace, List<String> manifests, List<String> flows) throws Exception {
    ClusterModel m = new ManifestLoader(false).defaultNamespace(namespace).load(manifests).model();
    TrafficModel t = TrafficLoader.load(flows, m, TrafficLoader.Options.defaults()).traffic();
    return Analyzer.run(m, t, Analyzer.Options.defaults());
  }

  private static List<Finding> of(Analyzer.Result r, Rule rule) {
    return r.report().findings().stream().filter(f -> f.rule() == rule).toList();
  }

  private static Set<String> edges(Analyzer.Result r, String tag) {
    return r.graph().edges().stream().filter(e -> e.tag().equals(tag))
        .map(e -> e.source().substring(e.source().lastIndexOf('/') + 1) + "->" + e.target().substring(e.target().lastIndexOf('/') + 1))
        .collect(Collectors.toSet());
  }

  @Test
  void onlineBoutiqueWithItsPolicies_loadBalancerExposed_andNothingWouldBreak() throws Exception {
    Analyzer.Result r = run("default",
        List.of(BOUTIQUE + "derived/kustomize-base+network-policies.rendered.yaml", FLOWS + "endpointslices.yaml"),
        List.of(FLOWS + "envoy-inbound-access-log.jsonl"));
    assertEquals(1700, r.report().summary().flowsRead());
    assertEquals(List.of(), of(r, Rule.WOULD_BREAK), "the upstream policies were written for exactly these calls");
    assertTrue(of(r, Rule.EXTERNAL_EXPOSURE).stream().anyMatch(f -> f.subject().equals("default/Deployment/frontend")
        && f.title().contains("LoadBalancer Service default/frontend-external")));
    Set<String> used = edges(r, "allowed+observed");
    assertTrue(used.containsAll(Set.of("frontend->cartservice", "checkoutservice->paymentservice",
        "loadgenerator->frontend", "recommendationservice->productcatalogservice")), used.toString());
    assertTrue(r.report().summary().unresolvedFlows().isEmpty(), r.report().summary().unresolvedFlows().toString());
  }

  @Test
  void onlineBoutiqueWithoutPolicies_everyUnusedPairIsAnAllowedOnlyEdge() throws Exception {
    Analyzer.Result r = run("default",
        List.of(BOUTIQUE + "upstream/release/kubernetes-manifests.yaml", FLOWS + "endpointslices.yaml"),
        List.of(FLOWS + "envoy-inbound-access-log.jsonl"));
    Set<String> used = edges(r, "allowed+observed").stream().filter(e -> !e.contains("external") && !e.contains("internet"))
        .collect(Collectors.toSet());
    Set<String> unused = edges(r, "allowed").stream().filter(e -> !e.contains("external") && !e.contains("internet"))
        .collect(Collectors.toSet());
    assertEquals(15, used.size(), "the documented HTTP/gRPC calls: " + used);
    assertEquals(12 * 11 - 15, unused.size());
    assertTrue(unused.contains("frontend->redis-cart"), "nobody but cartservice talks to redis");
    assertEquals(List.of(), of(r, Rule.WOULD_BREAK));
    assertEquals(2, of(r, Rule.NO_DEFAULT_DENY).size());
  }

  @Test
  void bookinfoWithRealHubbleCaptures_observedCallsAreAllowedWithoutPolicies() throws Exception {
    Analyzer.Result r = run("bookinfo",
        List.of("../manifests/examples/istio-bookinfo/upstream/samples/bookinfo/platform/kube/bookinfo.yaml"),
        List.of(HUBBLE + "basic-sample-348-http-flows.json", HUBBLE + "basic-sample-400-tcp-flows.json"));
    Set<String> used = edges(r, "allowed+observed");
    assertTrue(used.contains("productpage-v1->details-v1"), used.toString());
    assertTrue(used.stream().anyMatch(e -> e.startsWith("productpage-v1->reviews-v")), used.toString());
    assertTrue(used.stream().anyMatch(e -> e.startsWith("reviews-v") && e.endsWith("->ratings-v1")), used.toString());
    assertEquals(List.of(), of(r, Rule.WOULD_BREAK));
    for (GraphEdge e : r.graph().edges()) {
      assertTrue(e.isAllowed() || !e.target().startsWith("bookinfo/"), "no policies: everything into bookinfo is allowed " + e);
    }
  }
}
