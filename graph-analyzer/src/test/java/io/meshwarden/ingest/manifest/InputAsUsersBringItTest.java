package io.meshwarden.ingest.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.Origin;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input the way users bring it: directories with charts and tool files, repeated objects, mistakes. */
class InputAsUsersBringItTest {
  private static final String NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {team: a}\n";
  private static final String DEPLOY = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: c, image: nginx}]}
      """;
  private static final String POLICY = """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: deny, namespace: shop}
      spec:
        podSelector: {}
        policyTypes: [Ingress]
      """;

  private static LoadResult load(Path... paths) throws ManifestException {
    return new ManifestLoader(false).load(java.util.Arrays.stream(paths).map(Path::toString).toList());
  }

  @Test
  void aDirectoryWithKustomizeAndHelmFiles_isReadWithNotes(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("app.yaml"), DEPLOY);
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: [app.yaml]\n");
    Files.writeString(dir.resolve("values.yaml"), "replicaCount: 2\nimage: {repository: nginx}\n");
    Files.writeString(dir.resolve("ci.yaml"), "stages: [build, test]\nbuild: {script: [make]}\n");
    Path chart = Files.createDirectories(dir.resolve("charts/web"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: web\nversion: 0.1.0\n");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("templates/deploy.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n");
    LoadResult r = load(dir);
    assertEquals(1, r.model().workloads().size());
    String notes = String.join("\n", r.notes());
    assertTrue(notes.contains("kustomization.yaml: skipped a Kustomize configuration"), notes);
    assertTrue(notes.contains("values.yaml: skipped Helm values"), notes);
    assertTrue(notes.contains("ci.yaml:1: skipped a YAML document that is not a Kubernetes object"), notes);
    assertTrue(notes.contains(chart + ": skipped a Helm chart"), notes);
  }

  @Test
  void aHelmTemplateOutsideAChart_isSkippedWithANoteNamingIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("app.yaml"), DEPLOY);
    Files.writeString(dir.resolve("svc.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n"
        + "{{- if .Values.labels }}\n  labels: {{ toYaml .Values.labels | nindent 4 }}\n{{- end }}\n");
    LoadResult r = load(dir);
    assertTrue(r.notes().stream().anyMatch(n -> n.startsWith(dir.resolve("svc.yaml") + ": skipped a template")),
        r.notes().toString());
    assertEquals(0, r.model().services().size());
  }

  @Test
  void theSameNamespaceInTwoDirectories_isReadOnce(@TempDir Path dir) throws Exception {
    Path app = Files.createDirectories(dir.resolve("app"));
    Path policies = Files.createDirectories(dir.resolve("app-policies"));
    Files.writeString(app.resolve("ns.yaml"), NAMESPACE);
    Files.writeString(app.resolve("deploy.yaml"), DEPLOY);
    Files.writeString(policies.resolve("ns.yaml"), NAMESPACE);
    Files.writeString(policies.resolve("deny.yaml"), POLICY);
    LoadResult r = load(app, policies);
    assertEquals(1, r.model().namespaces().size());
    assertEquals(1, r.model().networkPolicies().size());
    assertEquals(List.of(), r.warnings().stream().filter(w -> w.code().equals(ManifestLoader.DECLARED_TWICE)).toList());
  }

  @Test
  void anObjectDeclaredTwiceWithDifferentContent_isAWarningNamingBothPlaces(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.yaml"), DEPLOY);
    Files.writeString(dir.resolve("b.yaml"), DEPLOY.replace("image: nginx", "image: nginx:1.27"));
    LoadResult r = load(dir.resolve("a.yaml"), dir.resolve("b.yaml"));
    assertEquals(1, r.model().workloads().size());
    String w = r.warnings().stream().map(Object::toString).collect(java.util.stream.Collectors.joining("\n"));
    assertTrue(w.contains(dir.resolve("b.yaml") + ":1: Deployment shop/web is also declared at "
        + dir.resolve("a.yaml") + ":1 with different content"), w);
  }

  @Test
  void twoDifferentNetworkPoliciesOfOneName_areAnError_andAWarningUnderKeepGoing(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("a.yaml"), DEPLOY + "---\n" + POLICY);
    Files.writeString(dir.resolve("b.yaml"), POLICY.replace("[Ingress]", "[Ingress, Egress]"));
    ManifestException e = assertThrows(ManifestException.class, () -> load(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("b.yaml") + ":1: two different NetworkPolicies named shop/deny: at "
        + dir.resolve("a.yaml") + ":9"), e.getMessage());
    LoadResult r = new ManifestLoader(true).load(List.of(dir.toString()));
    assertEquals(1, r.errors().size());
    assertEquals(1, r.model().networkPolicies().size());
  }

  @Test
  void aNamespaceDeclaredWithTwoSetsOfLabels_isAWarningNamingBothPlaces_andTheLaterLabelsAreUsed(@TempDir Path dir)
      throws Exception {
    Path app = Files.createDirectories(dir.resolve("app"));
    Path policies = Files.createDirectories(dir.resolve("app-policies"));
    Files.writeString(app.resolve("ns.yaml"), NAMESPACE);
    Files.writeString(app.resolve("deploy.yaml"), DEPLOY);
    Files.writeString(policies.resolve("ns.yaml"), NAMESPACE.replace("team: a", "team: b"));
    Files.writeString(policies.resolve("deny.yaml"), POLICY);
    LoadResult r = load(app, policies);
    assertEquals(List.of(policies.resolve("ns.yaml") + ":1: Namespace shop is also declared at " + app.resolve("ns.yaml")
        + ":1 with different content; the later declaration is used"),
        r.warnings().stream().filter(w -> w.code().equals(ManifestLoader.DECLARED_TWICE)).map(Object::toString).toList());
    Diagnostic d = r.warnings().stream().filter(w -> w.code().equals(ManifestLoader.DECLARED_TWICE)).findFirst()
        .orElseThrow();
    assertEquals(new Origin(policies.resolve("ns.yaml").toString(), 1), d.origin());
    assertEquals(Diagnostic.Severity.WARNING, d.severity());
    assertEquals("b", r.model().namespaces().get("shop").labels().get("team"));
    assertEquals(1, r.model().networkPolicies().size());
  }

  @Test
  void aNamedPortOnAnIpBlockEgressPeer_isAnError() {
    String policy = POLICY.replace("policyTypes: [Ingress]",
        "policyTypes: [Egress]\n  egress:\n  - to: [{ipBlock: {cidr: 10.0.0.0/8}}]\n    ports: [{port: http}]");
    ManifestException e = assertThrows(ManifestException.class,
        () -> new ManifestLoader(false).load("np.yaml", new StringReader(policy)));
    assertTrue(e.getMessage().contains("egress rule: named port \"http\" on an ipBlock peer"), e.getMessage());
  }

  @Test
  void inputWithoutAnyKubernetesObject_isAnError(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("values.yaml"), "a: 1\n");
    Files.writeString(dir.resolve("empty.yaml"), "# nothing yet\n");
    ManifestException e = assertThrows(ManifestException.class, () -> load(dir));
    assertTrue(e.getMessage().endsWith("no Kubernetes object found (1 file read)"), e.getMessage());
  }

  @Test
  void aFieldOfTheWrongType_namesItsPathAndItsOwnLine() {
    String svc = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app: web
          ports:
          - name: http
            protocol: TCP
            port: abc
        """;
    ManifestException e = assertThrows(ManifestException.class,
        () -> new ManifestLoader(false).load("svc.yaml", new StringReader(svc)));
    assertEquals("svc.yaml:11: spec.ports[0].port: expected an integer, got \"abc\"", e.getMessage());
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
      container port | apps/v1 | Deployment | spec: {template: {spec: {containers: [{name: c, ports: [{containerPort: eighty}]}]}}} \
        | x.yaml:4: spec.template.spec.containers[0].ports[0].containerPort: expected an integer, got "eighty"
      policy endPort | networking.k8s.io/v1 | NetworkPolicy | spec: {podSelector: {}, ingress: [{ports: [{port: 80, endPort: ninety}]}]} \
        | x.yaml:4: spec.ingress[0].ports[0].endPort: expected an integer, got "ninety"
      policy port as a list | networking.k8s.io/v1 | NetworkPolicy | spec: {podSelector: {}, ingress: [{ports: [{port: [80]}]}]} \
        | x.yaml:4: spec.ingress[0].ports[0].port: expected an integer or a string, got a list
      ANP priority | policy.networking.k8s.io/v1alpha1 | AdminNetworkPolicy | spec: {priority: high, subject: {namespaces: {}}} \
        | x.yaml:4: AdminNetworkPolicy x: spec.priority: expected an integer in 0-1000, got "high"
      ANP port | policy.networking.k8s.io/v1alpha1 | AdminNetworkPolicy | spec: {priority: 1, subject: {namespaces: {}}, ingress: [{action: Allow, from: [{namespaces: {}}], ports: [{portNumber: {protocol: TCP, port: eighty}}]}]} \
        | x.yaml:4: AdminNetworkPolicy x ingress rule: port: expected a port number in 1-65535, got "eighty"
      CNP priority | policy.networking.k8s.io/v1alpha2 | ClusterNetworkPolicy | spec: {tier: Admin, priority: x, subject: {namespaces: {}}} \
        | x.yaml:4: ClusterNetworkPolicy x: spec.priority: expected an integer in 0-1000, got "x"
      CNP port | policy.networking.k8s.io/v1alpha2 | ClusterNetworkPolicy | spec: {tier: Admin, priority: 1, subject: {namespaces: {}}, ingress: [{action: Accept, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {number: x}}}]}]} \
        | x.yaml:4: ClusterNetworkPolicy x ingress rule tcp: number: expected a port number in 1-65535, got "x"
      """)
  void aTypeErrorInAnyKind_namesTheFieldAndItsLine_inWordsAUserKnows(String what, String apiVersion, String kind,
      String spec, String expected) {
    // Flow style keeps the whole spec on line 4, so the line checked is the field's, not the object's (1).
    String yaml = "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: x}\n" + spec + "\n";
    ManifestException e = assertThrows(ManifestException.class,
        () -> new ManifestLoader(false).load("x.yaml", new StringReader(yaml)));
    assertEquals(expected, e.getMessage());
  }

  @Test
  void aTypeError_pointsAtTheFieldsOwnLine_inAPlainMapKind() {
    String anp = """
        apiVersion: policy.networking.k8s.io/v1alpha1
        kind: AdminNetworkPolicy
        metadata: {name: a}
        spec:
          priority: 5
          subject: {namespaces: {}}
          ingress:
          - action: Allow
            from: [{namespaces: {}}]
            ports:
            - portRange:
                protocol: TCP
                start: 1
                end: x
        """;
    ManifestException e = assertThrows(ManifestException.class,
        () -> new ManifestLoader(false).load("anp.yaml", new StringReader(anp)));
    assertEquals("anp.yaml:14: AdminNetworkPolicy a ingress rule: end: expected a port number in 1-65535, got \"x\"",
        e.getMessage());
  }

  @Test
  void aMappingWhereAListBelongs_saysSoInYamlTerms() {
    String pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n"
        + "    ports: {}\n";
    ManifestException e = assertThrows(ManifestException.class,
        () -> new ManifestLoader(false).load("pod.yaml", new StringReader(pod)));
    assertEquals("pod.yaml:7: spec.containers[0].ports: expected a list, got a mapping", e.getMessage());
  }

  @Test
  void aBinaryFile_isNotATextFile(@TempDir Path dir) throws Exception {
    Path bin = dir.resolve("image.yaml");
    Files.write(bin, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, (byte) 0xff, (byte) 0xfe});
    ManifestException e = assertThrows(ManifestException.class, () -> load(bin));
    assertTrue(e.getMessage().contains("not a text file"), e.getMessage());
    Path nul = dir.resolve("nul.yaml");
    Files.write(nul, "kind: Pod\n\0\0\0".getBytes(StandardCharsets.UTF_8));
    ManifestException e2 = assertThrows(ManifestException.class, () -> load(nul));
    assertEquals(nul + ":2: not a text file", e2.getMessage());
  }

  @Test
  void aHugeValue_isRefusedQuickly() {
    String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: "
        + "a".repeat(20_000_000) + "\n";
    // snakeyaml's reader used to take over a minute on this; generous bound for a shared machine.
    ManifestException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(ManifestException.class,
        () -> new ManifestLoader(false).load("big.yaml", new StringReader(yaml))));
    assertTrue(e.getMessage().startsWith("big.yaml:5: a value of 20000000 characters; values longer than 1048576"),
        e.getMessage());
  }
}
