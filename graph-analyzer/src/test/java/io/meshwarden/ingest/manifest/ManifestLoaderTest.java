package io.meshwarden.ingest.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {
  private static final String DEPLOY = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 3
        template:
          metadata:
            labels: {app: web}
          spec:
            serviceAccountName: web-sa
            containers:
            - name: c
              image: nginx
              ports: [{name: http, containerPort: 8080}]
      """;

  private static LoadResult load(String yaml) throws ManifestException {
    return new ManifestLoader(false).load("in.yaml", new StringReader(yaml));
  }

  @Test
  void multiDocumentYaml_keepsTheLineOfEachObject() throws Exception {
    LoadResult r = load("---\n" + DEPLOY + "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web-sa}\n");
    Workload w = r.model().workloads().get(0);
    assertEquals("default/Deployment/web", w.id());
    assertEquals("in.yaml:2", w.origin().toString());
    assertEquals("web-sa", w.serviceAccount());
    assertEquals("spiffe://cluster.local/ns/default/sa/web-sa", w.spiffeId("cluster.local"));
    assertEquals(3, w.replicas());
    assertEquals(8080, w.resolveNamedPort("http", io.meshwarden.model.Protocol.TCP));
    assertEquals(1, r.model().serviceAccounts().size());
  }

  @Test
  void json_andListKinds_andTypedListsWithoutItemKind() throws Exception {
    String json = """
        {"apiVersion": "v1", "kind": "PodList", "items": [
          {"metadata": {"name": "p1", "namespace": "x", "labels": {"a": "b"}}, "spec": {"containers": []}},
          {"metadata": {"name": "p2", "namespace": "x"}, "spec": {"containers": []}}
        ]}
        """;
    LoadResult r = load(json);
    assertEquals(2, r.model().workloads().size());
    assertTrue(r.model().workloads().stream().allMatch(w -> w.kind() == WorkloadKind.Pod));
    assertEquals("in.yaml:2", r.model().workloads().get(0).origin().toString(), "items point at their own line");
  }

  @Test
  void unknownKinds_areSkippedAndCounted() throws Exception {
    LoadResult r = load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
        + "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata: {name: k}\n---\n"
        + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
    assertEquals(2, r.skippedKinds().get("ConfigMap"));
    assertEquals(1, r.skippedKinds().get("Kustomization"));
  }

  @Test
  void meshObjects_areKeptForLaterStages() throws Exception {
    LoadResult r = load("apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: deny, namespace: x}\n"
        + "spec: {}\n");
    assertEquals("AuthorizationPolicy", r.model().meshResources().get(0).kind());
  }

  @Test
  void malformedYaml_namesFileAndLine() {
    ManifestException e = assertThrows(ManifestException.class,
        () -> load("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [unclosed\n"));
    assertTrue(e.getMessage().startsWith("in.yaml:"), e.getMessage());
    assertTrue(e.origin().line() >= 4, e.getMessage());
  }

  @Test
  void wrongFieldType_namesTheObjectAndLine() {
    ManifestException e = assertThrows(ManifestException.class,
        () -> load("---\n" + DEPLOY + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            + "  - name: c\n    ports: {}\n"));
    assertEquals("in.yaml:24: spec.containers[0].ports: expected a list, got a mapping", e.getMessage());
  }

  @Test
  void keepGoing_reportsAndContinues(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a-bad.yaml"), "kind: Pod\nmetadata: {name: p}\nspec: {containers: {}}\n");
    Files.writeString(dir.resolve("b-good.yaml"), DEPLOY);
    Files.writeString(dir.resolve("notes.txt"), "not read");
    assertThrows(ManifestException.class, () -> new ManifestLoader(false).load(List.of(dir.toString())));
    LoadResult r = new ManifestLoader(true).load(List.of(dir.toString()));
    assertEquals(1, r.errors().size());
    assertTrue(r.errors().get(0).toString().contains("a-bad.yaml:3: spec.containers"), r.errors().get(0).toString());
    assertEquals(1, r.model().workloads().size());
    assertEquals(2, r.filesRead());
  }

  @Test
  void stdin_isReadForDash() throws Exception {
    LoadResult r = new ManifestLoader(false, new ByteArrayInputStream(DEPLOY.getBytes(StandardCharsets.UTF_8)))
        .load(List.of("-"));
    assertEquals("<stdin>:1", r.model().workloads().get(0).origin().toString());
  }

  @Test
  void missingPath_isAnError() {
    ManifestException e = assertThrows(ManifestException.class,
        () -> new ManifestLoader(true).load(List.of("/no/such/dir")));
    assertTrue(e.getMessage().contains("does not exist"));
  }

  @Test
  void hostileInput_isRejectedNotCrashed() {
    assertThrows(ManifestException.class, () -> load("a: &a [*a, *a]\nkind: X\n"), "recursive alias");
    assertThrows(ManifestException.class, () -> load("kind: Pod\nkind: Pod\nmetadata: {name: a}\n"), "duplicate key");
    assertThrows(ManifestException.class, () -> load("apiVersion: v1\nmetadata: {name: a}\n"), "no kind");
    assertThrows(ManifestException.class, () -> load("kind: Deployment\nmetadata: {}\n"), "no name");
    assertThrows(ManifestException.class, () -> load("[".repeat(5000)), "deep nesting");
  }

  @Test
  void badPolicies_areRejectedWithTheirReason() {
    String np = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n";
    assertThrows(ManifestException.class, () -> load(np + "  ingress: [{from: [{}]}]\n"));
    assertThrows(ManifestException.class, () -> load(np + "  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/40}}]}]\n"));
    assertThrows(ManifestException.class, () -> load(np + "  ingress: [{ports: [{port: 70000}]}]\n"));
    assertThrows(ManifestException.class, () -> load(np + "  ingress: [{ports: [{port: 80, endPort: 79}]}]\n"));
    assertThrows(ManifestException.class, () -> load(np + "  ingress: [{ports: [{port: 80, protocol: ICMP}]}]\n"));
    assertThrows(ManifestException.class, () -> load(np + "  policyTypes: [Sideways]\n"));
    ManifestException e = assertThrows(ManifestException.class,
        () -> load(np + "  ingress: [{from: [{podSelector: {matchLabels: {app: $x}}}]}]\n"));
    assertTrue(e.getMessage().contains("selector error"), e.getMessage());
  }
}
