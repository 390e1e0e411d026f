package io.meshwarden.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwarden.analysis.Analyzer;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.traffic.TrafficModel;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MW110: ClusterNetworkPolicies of one tier with one priority that disagree on a connection both
 * match ("the implementation can apply any of the matching policies", clusternetworkpolicy_types.go).
 */
class AmbiguousPriorityDetectorTest {
  private static final String APPS = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api, namespace: prod}
      spec:
        template:
          metadata: {labels: {app: api}}
          spec: {containers: [{name: c, image: x}]}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: cli, namespace: dev}
      spec:
        template:
          metadata: {labels: {app: cli}}
          spec: {containers: [{name: c, image: x}]}
      """;

  private static String cnp(String name, String tier, int priority, String action, String from) {
    return "---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: " + name
        + "}\nspec:\n  tier: " + tier + "\n  priority: " + priority + "\n  subject: {namespaces: {matchLabels:"
        + " {kubernetes.io/metadata.name: prod}}}\n  ingress: [{name: r, action: " + action + ", from: [" + from + "]}]\n";
  }

  private static List<String> findings(String yaml) throws Exception {
    ClusterModel m = new ManifestLoader(false).load("p.yaml", new StringReader(APPS + yaml)).model();
    return Analyzer.run(m, TrafficModel.empty(), Analyzer.Options.defaults()).report().findings().stream()
        .filter(f -> f.rule() == Rule.AMBIGUOUS_PRIORITY).map(f -> f.severity() + " " + f.title()).toList();
  }

  @Test
  void samePriorityDifferentActionsOnACommonPeer_isReported() throws Exception {
    assertEquals(List.of("MEDIUM ClusterNetworkPolicy accept and ClusterNetworkPolicy deny share Admin tier priority 5"
        + " and disagree on ingress of prod/api from dev/cli"),
        findings(cnp("accept", "Admin", 5, "Accept", "{namespaces: {}}") + cnp("deny", "Admin", 5, "Deny",
            "{namespaces: {}}")));
  }

  @Test
  void differentPrioritiesTiersPeersOrTheSameAction_areNot() throws Exception {
    String accept = cnp("accept", "Admin", 5, "Accept", "{namespaces: {}}");
    assertEquals(List.of(), findings(accept + cnp("deny", "Admin", 6, "Deny", "{namespaces: {}}")));
    assertEquals(List.of(), findings(accept + cnp("deny", "Baseline", 5, "Deny", "{namespaces: {}}")));
    assertEquals(List.of(), findings(accept + cnp("also", "Admin", 5, "Accept", "{namespaces: {}}")));
    assertEquals(List.of(), findings(accept + cnp("deny", "Admin", 5, "Deny",
        "{namespaces: {matchLabels: {kubernetes.io/metadata.name: nowhere}}}")));
  }
}
