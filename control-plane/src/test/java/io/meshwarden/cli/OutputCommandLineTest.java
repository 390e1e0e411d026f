package io.meshwarden.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.meshwarden.cli.MeshwardenCommandTest.Run;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the commands print: formats that validate, one format per stream, np-guard's text kept. */
class OutputCommandLineTest {
  private static final String BOUTIQUE =
      "../manifests/examples/online-boutique/derived/kustomize-base+network-policies.rendered.yaml";
  private static final Path NP_GUARD = Path.of("../graph-analyzer/src/test/resources/np-guard-netpol-analyzer");
  /** Two broad ingress rules, at lines 15 and 16; the policy itself starts at line 9. */
  private static final String BROAD = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
        - ports: [{port: 80}]
        - from:
          - ipBlock: {cidr: 0.0.0.0/0}
      """;

  private static Schema sarifSchema() throws Exception {
    try (InputStream in = OutputCommandLineTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
    }
  }

  @Test
  void sarif_isValidSarif210_withPathsUnderSrcRoot_andRegionsAtTheRule(@TempDir Path root) throws Exception {
    Path manifest = Files.createDirectories(root.resolve("deploy/shop")).resolve("web.yaml");
    Files.writeString(manifest, BROAD);
    Run r = MeshwardenCommandTest.run("analyze", "-f", manifest.toString(), "-o", "sarif", "--source-root",
        root.toString(), "-q");
    assertEquals(0, r.code(), r.err());
    List<Error> errors = sarifSchema().validate(r.out(), InputFormat.JSON);
    assertEquals(List.of(), errors.stream().map(Error::toString).toList(), r.out());

    JsonNode run = JsonMapper.builder().build().readTree(r.out()).get("runs").get(0);
    assertEquals(root.toUri().toString(), run.get("originalUriBaseIds").get("%SRCROOT%").get("uri").asString());
    Set<Integer> broadRuleLines = new TreeSet<>();
    for (JsonNode result : run.get("results")) {
      if (!result.has("locations")) {
        continue; // about a namespace with no manifest line, such as a missing default-deny
      }
      JsonNode location = result.get("locations").get(0).get("physicalLocation");
      assertEquals("deploy/shop/web.yaml", location.get("artifactLocation").get("uri").asString());
      assertEquals("%SRCROOT%", location.get("artifactLocation").get("uriBaseId").asString());
      if (result.get("ruleId").asString().equals("MW106")) {
        broadRuleLines.add(location.get("region").get("startLine").asInt());
      }
    }
    assertEquals(Set.of(15, 16), broadRuleLines, r.out());
  }

  @Test
  void inputDiagnostics_areValuesInJson_andToolNotificationsInSarif(@TempDir Path root) throws Exception {
    Path manifest = Files.createDirectories(root.resolve("deploy")).resolve("web.yaml");
    // Host bits set in the CIDR of the rule at line 16: read as its network, with a warning at the rule.
    Files.writeString(manifest, BROAD.replace("0.0.0.0/0", "10.0.0.1/8") + "---\n[not, an, object]\n");
    Run sarif = MeshwardenCommandTest.run("analyze", "-f", manifest.toString(), "-o", "sarif", "--source-root",
        root.toString(), "-q");
    assertEquals(0, sarif.code(), sarif.err());
    assertEquals(List.of(), sarifSchema().validate(sarif.out(), InputFormat.JSON).stream().map(Error::toString).toList(),
        sarif.out());
    JsonNode notes = JsonMapper.builder().build().readTree(sarif.out()).get("runs").get(0).get("invocations").get(0)
        .get("toolExecutionNotifications");
    List<String> codes = new java.util.ArrayList<>();
    for (JsonNode n : notes) {
      codes.add(n.get("descriptor").get("id").asString() + "@" + n.get("locations").get(0).get("physicalLocation")
          .get("region").get("startLine").asInt() + " " + n.get("level").asString());
      assertEquals("deploy/web.yaml", n.get("locations").get(0).get("physicalLocation").get("artifactLocation")
          .get("uri").asString());
    }
    assertEquals(List.of("ambiguous-cidr@16 warning", "not-an-object@19 warning"), codes, sarif.out());

    Run json = MeshwardenCommandTest.run("analyze", "-f", manifest.toString(), "-o", "json", "-q");
    JsonNode diagnostics = JsonMapper.builder().build().readTree(json.out()).get("diagnostics");
    assertEquals(2, diagnostics.size(), json.out());
    JsonNode cidr = diagnostics.get(0);
    assertEquals("ambiguous-cidr", cidr.get("code").asString());
    assertEquals("warning", cidr.get("severity").asString());
    assertEquals(manifest.toString(), cidr.get("file").asString());
    assertEquals(16, cidr.get("line").asInt());
    assertTrue(cidr.get("message").asString().startsWith(
        "NetworkPolicy shop/web ingress rule ipBlock.cidr: CIDR value \"10.0.0.1/8\" is ambiguous"), json.out());
    // The console says the same, each line as before: file:line: message.
    Run table = MeshwardenCommandTest.run("analyze", "-f", manifest.toString());
    assertTrue(table.err().contains("warning: " + manifest + ":16: " + cidr.get("message").asString() + "\n"),
        table.err());
  }

  @Test
  void theSchemaCheck_rejectsWhatIsNotSarif() throws Exception {
    String bad = "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}},"
        + " \"results\": [{\"message\": {\"text\": \"m\"}, \"level\": \"fatal\"}]}]}";
    assertFalse(sarifSchema().validate(bad, InputFormat.JSON).isEmpty());
  }

  @Test
  void aGraphNeverSharesStdoutWithTheReport(@TempDir Path dir) throws Exception {
    Run mixed = MeshwardenCommandTest.run("analyze", "-f", BOUTIQUE, "-o", "json", "--graph", "dot", "-q");
    assertEquals(ExitCodes.USAGE, mixed.code(), mixed.out());
    assertTrue(mixed.err().contains("--graph needs --graph-file"), mixed.err());
    Path dot = dir.resolve("graph.dot");
    Run split = MeshwardenCommandTest.run("analyze", "-f", BOUTIQUE, "-o", "json", "--graph", "dot", "--graph-file",
        dot.toString(), "-q");
    assertEquals(0, split.code(), split.err());
    JsonMapper.builder().build().readTree(split.out());
    assertFalse(split.out().contains("digraph"), split.out());
    assertTrue(Files.readString(dot).startsWith("digraph"), Files.readString(dot));
  }

  @Test
  void exposureTxt_isNpGuardsOutputLineForLine_entryPointsOnlyOnRequest() throws Exception {
    String input = NP_GUARD.resolve("tests/onlineboutique_workloads").toString();
    String expected = Files.readString(NP_GUARD.resolve(
        "test_outputs/connlist/onlineboutique_workloads_exposure_output.txt"));
    Run r = MeshwardenCommandTest.run("connectivity", "-f", input, "--exposure", "-q");
    assertEquals(0, r.code(), r.err());
    assertEquals(expected.strip(), r.out().strip());
    Run withEntryPoints = MeshwardenCommandTest.run("connectivity", "-f", input, "--exposure", "--entry-points", "-q");
    assertTrue(withEntryPoints.out().startsWith(r.out()), withEntryPoints.out());
    assertTrue(withEntryPoints.out().length() > r.out().length(), "entry points are listed on request");
  }

  @Test
  void workloadsAreNamedTheNpGuardWay_andALongNameWrapsInTheTable(@TempDir Path dir) throws Exception {
    String name = "checkout-payment-authorization-gateway-service-v2";
    Path manifest = dir.resolve("app.yaml");
    Files.writeString(manifest, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: NAME, namespace: payments-production}
        spec:
          template:
            metadata: {labels: {app: pay}}
            spec: {containers: [{name: c, image: pay, ports: [{containerPort: 8443}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: pay, namespace: payments-production}
        spec: {type: LoadBalancer, selector: {app: pay}, ports: [{port: 443, targetPort: 8443}]}
        """.replace("NAME", name));
    String full = "payments-production/" + name + "[Deployment]";
    Run table = MeshwardenCommandTest.run("analyze", "-f", manifest.toString(), "-q");
    assertFalse(table.out().contains("…"), table.out());
    assertFalse(table.out().contains("payments-production/Deployment/"), table.out());
    int width = 48;
    assertTrue(table.out().contains("  " + full.substring(0, width) + "  "), table.out());
    assertTrue(table.out().contains("\n" + " ".repeat(17) + full.substring(width) + "\n"), table.out());
    Run md = MeshwardenCommandTest.run("analyze", "-f", manifest.toString(), "-o", "md", "-q");
    assertTrue(md.out().contains(full), md.out());
    assertFalse(md.out().contains("payments-production/Deployment/"), md.out());
    for (String format : new String[] {"json", "sarif"}) {
      Run r = MeshwardenCommandTest.run("analyze", "-f", manifest.toString(), "-o", format, "-q");
      assertTrue(r.out().contains("\"subject\": \"" + full + "\""), format + ": " + r.out());
      assertFalse(r.out().contains("payments-production/Deployment/"), format + ": " + r.out());
    }
  }
}
