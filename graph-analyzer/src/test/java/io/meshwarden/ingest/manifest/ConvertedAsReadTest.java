package io.meshwarden.ingest.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Objects are converted as soon as they are read, but a file's objects are handed over only once
 * the whole file has parsed: warnings keep the stream's order, the first bad object stops the file
 * where it did, and a syntax error anywhere hands over nothing of the file.
 */
class ConvertedAsReadTest {
  private static final String NS = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {team: a}\n";
  private static final String DEPLOY = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: c
              ports: [{name: http, containerPort: 8080}, {name: bad, containerPort: 0}]
      """;
  private static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: p1, namespace: shop, labels: {app: p}}
      spec: {containers: [{name: c, ports: [{containerPort: 9090}]}]}
      status: {podIP: 10.0.0.9}
      """;
  private static final String SVC = """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}
      """;
  private static final String NP = """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: deny, namespace: shop}
      spec: {podSelector: {}, policyTypes: [Ingress]}
      """;
  private static final String MIXED = String.join("---\n", NS, DEPLOY, POD, SVC, NP,
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
      "replicaCount: 3\n",
      "just a scalar\n",
      NS.replace("team: a", "team: b"),
      NS.replace("team: a", "team: b"),
      "apiVersion: v1\nkind: List\nitems:\n- " + POD.replace("p1", "p2").replace("\n", "\n  ").trim() + "\n",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: virt-launcher-vm-x, namespace: shop}\nspec: {containers: []}\n",
      "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: a, namespace: shop}\nspec: {}\n",
      NP);

  @Test
  void warningsNotesAndCountsKeepTheStreamsOrder() throws Exception {
    LoadResult two = load(MIXED, false);
    assertEquals(List.of("shop/Deployment/web", "shop/Pod/p1", "shop/Pod/p2"),
        two.model().workloads().stream().map(w -> w.id()).sorted().toList());
    assertEquals(List.of("in.yaml:7 invalid-container-port", "in.yaml:40 not-an-object",
        "in.yaml:42 " + ManifestLoader.DECLARED_TWICE, "in.yaml:63 virt-launcher-pod"),
        two.warnings().stream().map(w -> w.origin() + " " + w.code()).toList());
    assertEquals(List.of("in.yaml:38: skipped a YAML document that is not a Kubernetes object (it has no kind and no"
        + " apiVersion)"), two.notes());
    assertEquals(Map.of("ConfigMap", 1), two.skippedKinds());
    assertEquals(12, two.objectsRead());
  }

  @Test
  void theFirstBadObjectStopsTheFile() throws Exception {
    String badType = DEPLOY.replace("name: web", "name: web2").replace("template:", "replicas: abc\n  template:");
    String noName = "apiVersion: v1\nkind: Service\nmetadata: {namespace: shop}\n";
    String twoPolicies = NP.replace("policyTypes: [Ingress]", "policyTypes: [Egress]");
    Map<String, String> said = Map.of(badType, "in.yaml:27: spec.replicas: expected an integer, got \"abc\"",
        noName, "in.yaml:23: Service without metadata.name",
        twoPolicies, "in.yaml:23: two different NetworkPolicies named shop/deny: at in.yaml:18 and here; a namespace"
            + " holds one object of a name",
        "apiVersion: v1\nmetadata: {name: x}\n", "in.yaml:23: object kind is missing in the document (not a"
            + " Kubernetes object)");
    for (Map.Entry<String, String> bad : said.entrySet()) {
      String yaml = String.join("---\n", NS, DEPLOY, NP, bad.getKey(), POD, SVC);
      ManifestException e = assertThrows(ManifestException.class, () -> load(yaml, false));
      assertEquals(bad.getValue(), e.getMessage());
      LoadResult r = load(yaml, true);
      assertEquals(List.of(bad.getValue()), r.errors().stream().map(Object::toString).toList());
      assertEquals(List.of("shop/Deployment/web"), r.model().workloads().stream().map(w -> w.id()).toList(),
          "what came before the bad object is kept, what came after is not read");
      assertTrue(r.model().services().isEmpty());
    }
  }

  @Test
  void aSyntaxErrorInTheLastDocumentHandsOverNothingOfTheFile() throws Exception {
    String yaml = String.join("---\n", NS, DEPLOY, POD, SVC, NP) + "---\nlate: [\n";
    LoadResult r = load(yaml, true);
    assertEquals(1, r.errors().size());
    assertEquals("in.yaml:35", r.errors().get(0).origin().toString());
    assertTrue(r.errors().get(0).message().startsWith("malformed YAML: "), r.errors().get(0).message());
    assertTrue(r.model().workloads().isEmpty() && r.model().services().isEmpty()
        && r.model().networkPolicies().isEmpty() && r.model().namespaces().isEmpty(), "nothing of the file");
    assertEquals(0, r.objectsRead());
  }

  private static LoadResult load(String yaml, boolean keepGoing) throws ManifestException {
    return new ManifestLoader(keepGoing).load("in.yaml", new StringReader(yaml));
  }
}
