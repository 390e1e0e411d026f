package io.meshwarden.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwarden.analysis.Analyzer;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.traffic.TrafficModel;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MW107: selectors that select nothing, with the labels that come closest, at the policy's line. */
class SelectsNothingDetectorTest {
  private static final String YAML = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: carts, namespace: sock-shop}
      spec:
        template:
          metadata: {labels: {name: carts}}
          spec:
            serviceAccountName: carts
            containers: [{name: c, image: carts}]
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: carts-db, namespace: sock-shop}
      spec:
        template:
          metadata: {labels: {name: carts-db}}
          spec:
            containers: [{name: c, image: mongo}]
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: cart-policy, namespace: sock-shop}
      spec:
        podSelector: {matchLabels: {name: cart}}
        ingress: [{from: [{podSelector: {matchLabels: {name: carts}}}]}]
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: carts-db, namespace: sock-shop}
      spec:
        podSelector: {matchLabels: {name: carts-db}}
        ingress:
        - from: [{podSelector: {matchLabels: {name: cart}}}]
        - from: [{namespaceSelector: {matchLabels: {team: monitoring}}}]
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: carts-db, namespace: sock-shop}
      spec:
        selector: {matchLabels: {app: carts-db}}
        rules:
        - from: [{source: {principals: ["cluster.local/ns/sock-shop/sa/cart", "cluster.local/ns/sock-shop/sa/carts"]}}]
      """;

  private static List<String> findings() throws Exception {
    ClusterModel m = new ManifestLoader(false).load("shop.yaml", new StringReader(YAML)).model();
    return Analyzer.run(m, TrafficModel.empty(), Analyzer.Options.defaults()).report().findings().stream()
        .filter(f -> f.rule() == Rule.SELECTS_NOTHING)
        .map(f -> f.severity() + " " + f.title() + " @" + f.origin()).sorted().toList();
  }

  @Test
  void aPolicyAPeerAndAnAuthorizationPolicyThatSelectNothing_nameTheNearestLabels() throws Exception {
    assertEquals(List.of(
        "LOW ingress rule 2 of NetworkPolicy sock-shop/carts-db, peer 1 selects no namespace of the input:"
            + " namespaceSelector team=monitoring @shop.yaml:27",
        "MEDIUM AuthorizationPolicy sock-shop/carts-db rule 1 names principal cluster.local/ns/sock-shop/sa/cart,"
            + " which no workload runs as; nearest: service account carts @shop.yaml:36",
        "MEDIUM AuthorizationPolicy sock-shop/carts-db selects nothing: selector app=carts-db; nearest:"
            + " sock-shop/carts-db has name=carts-db @shop.yaml:36",
        "MEDIUM NetworkPolicy sock-shop/cart-policy selects nothing: podSelector name=cart; nearest:"
            + " sock-shop/carts has name=carts @shop.yaml:20",
        "MEDIUM ingress rule 1 of NetworkPolicy sock-shop/carts-db, peer 1 selects nothing: podSelector name=cart;"
            + " nearest: sock-shop/carts has name=carts @shop.yaml:27"), findings());
  }

  @Test
  void editDistance_countsInsertionsDeletionsAndSubstitutions() {
    assertEquals(1, EditDistance.levenshtein("cart", "carts"));
    assertEquals(0, EditDistance.levenshtein("carts", "carts"));
    assertEquals(3, EditDistance.levenshtein("kitten", "sitting"));
    assertEquals(2, EditDistance.levenshtein("wbe", "web"));
    assertEquals(1, EditDistance.typing("wbe", "web"));
    assertEquals(3, EditDistance.typing("kitten", "sitting"));
  }
}
