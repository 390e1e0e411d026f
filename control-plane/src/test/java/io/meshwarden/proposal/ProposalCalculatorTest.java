package io.meshwarden.proposal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.ingest.traffic.TrafficLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.synthesis.Evidence;
import io.meshwarden.synthesis.PolicySynthesizer;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.meshwarden.traffic.EdgeStats;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.TrafficModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProposalCalculatorTest {
  static final String M = "../manifests/examples/online-boutique/";
  static ClusterModel model;
  static TrafficModel traffic;
  static final PolicySynthesizer.Options OPTIONS = PolicySynthesizer.Options.defaults();

  @BeforeAll
  static void load() throws Exception {
    model = new ManifestLoader(false).load(List.of(M + "upstream/release/kubernetes-manifests.yaml",
        M + "flows/endpointslices.yaml")).model();
    traffic = TrafficLoader.load(List.of(M + "flows/envoy-inbound-access-log.jsonl"), model,
        TrafficLoader.Options.defaults()).traffic();
  }

  static List<ObservedEdge> defaultEdges() {
    return ProposalCalculator.byNamespace(traffic.edges()).get("default");
  }

  @Test
  void aNamespaceGetsExactlyThePoliciesGenerateGivesItsWorkloads() {
    List<WorkloadPolicy> generated = PolicySynthesizer.synthesize(model, traffic, OPTIONS).policies().policies().stream()
        .filter(p -> p.namespace().equals("default")).toList();
    Proposal p = ProposalCalculator.compute("default", model, defaultEdges(), OPTIONS, 1);
    assertTrue(generated.size() > 5, "Online Boutique's logging workloads get policies: " + generated.size());
    assertEquals(generated, p.policies().policies());
    assertNull(p.refusal());
    List<String> without = p.policies().evidence().notEnoughEvidence().stream().map(Evidence.Unobserved::workloadId)
        .toList();
    assertTrue(without.contains("default/Deployment/loadgenerator") && without.contains("default/Deployment/redis-cart"),
        "no evidence, no policy: " + without);
    assertTrue(p.policies().evidence().flows() > 1000, "coverage counts the flows of the window");
    assertTrue(p.policies().evidence().blindSpots().size() > 0, "coverage says what the sources cannot see");
  }

  @Test
  void theVersionHashesThePolicyNotTheCountersNorTheOrder() {
    List<ObservedEdge> edges = defaultEdges();
    String v = ProposalCalculator.compute("default", model, edges, OPTIONS, 1).version();
    assertEquals(64, v.length(), "SHA-256 hex");
    List<ObservedEdge> shuffled = new ArrayList<>(edges);
    Collections.shuffle(shuffled, new Random(7));
    assertEquals(v, ProposalCalculator.compute("default", model, shuffled, OPTIONS, 99).version());
    List<ObservedEdge> busier = edges.stream().map(e -> new ObservedEdge(e.key(), new EdgeStats(e.stats().count() * 3,
        e.stats().bytes() * 3, e.stats().firstSeen(), e.stats().lastSeen().plusSeconds(600), 0, e.stats().sample(),
        e.stats().observers()))).toList();
    Proposal busy = ProposalCalculator.compute("default", model, busier, OPTIONS, 1);
    assertEquals(v, busy.version(), "more of the same traffic is the same policy");
    assertNotEquals(ProposalCalculator.compute("default", model, edges, OPTIONS, 1).policies().evidence().flows(),
        busy.policies().evidence().flows(), "while the coverage it carries is fresh");
    ObservedEdge method = edges.stream().filter(e -> e.key().method() != null).findFirst().orElseThrow();
    List<ObservedEdge> fewer = edges.stream().filter(e -> !e.equals(method)).toList();
    assertNotEquals(v, ProposalCalculator.compute("default", model, fewer, OPTIONS, 1).version(),
        "a request shape less is another policy");
  }

  @Test
  void withoutEvidenceThereIsNoPolicyAndEveryWorkloadSaysWhy() {
    Proposal p = ProposalCalculator.compute("default", model, List.of(), OPTIONS, 1);
    assertEquals(List.of(), p.policies().policies());
    assertTrue(p.refusal().startsWith("no usable flow evidence"), p.refusal());
    assertEquals(model.workloads().stream().filter(w -> w.namespace().equals("default")).count(),
        p.policies().evidence().notEnoughEvidence().size());
  }

  @Test
  void theStoredFormReadsBackAsTheSameProposal() {
    Proposal p = ProposalCalculator.compute("default", model, defaultEdges(), OPTIONS, 5);
    Proposal back = Proposal.fromJson(p.toJson());
    assertEquals(p, back);
    assertEquals(p.version(), ProposalCodec.version("default", back.policies()));
  }

  @Test
  void aProposalStoredWithWarningsAsText_readsBackWithTheirCode() {
    Proposal p = ProposalCalculator.compute("default", model, defaultEdges(), OPTIONS, 5);
    List<io.meshwarden.model.Diagnostic> warnings = p.policies().evidence().warnings();
    assertEquals(List.of(Evidence.SHORT_WINDOW), warnings.stream().map(io.meshwarden.model.Diagnostic::code).toList());
    // Before warnings were values, the store kept their text alone.
    io.vertx.core.json.JsonObject stored = new io.vertx.core.json.JsonObject(p.toJson());
    io.vertx.core.json.JsonArray texts = new io.vertx.core.json.JsonArray();
    warnings.forEach(w -> texts.add(w.message()));
    stored.getJsonObject("evidence").put("warnings", texts);
    assertEquals(warnings, Proposal.fromJson(stored.encode()).policies().evidence().warnings());
  }
}
