package io.meshwarden.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.connectivity.Connection;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.ingest.manifest.LoadResult;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The bundled real-world applications load cleanly and their policies mean what their docs say. */
class SampleApplicationsTest {
  static final Path EXAMPLES = Path.of("../manifests/examples");
  static final Path BOUTIQUE_WITH_POLICIES =
      EXAMPLES.resolve("online-boutique/derived/kustomize-base+network-policies.rendered.yaml");

  @Test
  void everyManifestOfBothApps_loadsWithoutErrors() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(EXAMPLES)) {
      files = s.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          // Helm templates are Go templates, and Chart.yaml/values.yaml are Helm's own files.
          .filter(p -> !p.toString().contains("helm-chart"))
          .sorted().toList();
    }
    assertTrue(files.size() > 50, "found " + files.size());
    for (Path f : files) {
      if (f.getFileName().toString().equals("kustomization.yaml")) {
        // Kustomize's own file is skipped with a note, so on its own it is input without objects.
        continue;
      }
      LoadResult r = new ManifestLoader(false).load(List.of(f.toString()));
      assertTrue(r.errors().isEmpty(), f + ": " + r.errors());
    }
  }

  @Test
  void onlineBoutique_policiesAllowExactlyTheDocumentedServiceEdges() throws Exception {
    ClusterModel m = new ManifestLoader(false).load(List.of(BOUTIQUE_WITH_POLICIES.toString())).model();
    assertEquals(12, m.workloads().size());
    assertEquals(13, m.networkPolicies().size());
    Set<String> workloadEdges = ConnectivityAnalyzer.analyze(m).connections().stream()
        .filter(c -> !c.src().displayName().contains("[External]") && !c.dst().displayName().contains("[External]"))
        .filter(c -> !c.allowed().isAll())
        .map(SampleApplicationsTest::edge).collect(Collectors.toSet());
    assertTrue(workloadEdges.containsAll(Set.of(
        "frontend -> adservice : TCP 9555",
        "checkoutservice -> cartservice : TCP 7070",
        "cartservice -> redis-cart : TCP 6379",
        "frontend -> checkoutservice : TCP 5050",
        "checkoutservice -> paymentservice : TCP 50051",
        "recommendationservice -> productcatalogservice : TCP 3550")), workloadEdges.toString());
    assertTrue(workloadEdges.stream().noneMatch(e -> e.startsWith("adservice ->") && !e.contains("frontend")),
        "adservice calls nobody but may answer frontend: " + workloadEdges);
    assertTrue(workloadEdges.stream().noneMatch(e -> e.contains("-> redis-cart") && !e.startsWith("cartservice")),
        "only cartservice reaches redis-cart: " + workloadEdges);
  }

  @Test
  void onlineBoutique_withoutPolicies_everythingIsOpen() throws Exception {
    ClusterModel m = new ManifestLoader(false)
        .load(List.of(EXAMPLES.resolve("online-boutique/upstream/release/kubernetes-manifests.yaml").toString())).model();
    List<Connection> all = ConnectivityAnalyzer.analyze(m).connections();
    assertEquals(12 * 11 + 12 * 2, all.size(), "every pair plus to and from the internet");
    assertTrue(all.stream().allMatch(c -> c.allowed().isAll()));
  }

  private static String edge(Connection c) {
    String s = c.src().displayName();
    String d = c.dst().displayName();
    return s.substring(s.indexOf('/') + 1, s.indexOf('[')) + " -> " + d.substring(d.indexOf('/') + 1, d.indexOf('['))
        + " : " + c.allowed();
  }
}
