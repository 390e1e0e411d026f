package io.meshwarden.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwarden.analysis.Analyzer;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.EdgeStats;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MW105 under a ClusterNetworkPolicy egress allowlist of domain names: a flow known by name is
 * judged by it; a flow known only by address that the allowlist may have accepted is no evidence
 * of breakage (it depends on DNS), as a request that depends on a header the record lacks is not.
 */
class WouldBreakDomainNamesTest {
  private static final String APP = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: api}}
          spec: {containers: [{name: c, image: x}]}
      ---
      apiVersion: policy.networking.k8s.io/v1alpha2
      kind: ClusterNetworkPolicy
      metadata: {name: egress-allowlist}
      spec:
        tier: Admin
        priority: 1
        subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
        egress:
        - {name: allowlist, action: Accept, to: [{domainNames: ["*.example.com"]}]}
        - {name: rest, action: Deny, to: [{networks: [0.0.0.0/0]}]}
      """;

  private static ObservedEdge to(String external) {
    Instant t = Instant.parse("2026-11-29T10:00:00Z");
    return new ObservedEdge(new EdgeKey(PeerRef.workload("shop/Deployment/api"), PeerRef.external(external),
        Protocol.TCP, 443, null, null), new EdgeStats(3, 0, t, t, 0, new Origin("flows", 1)));
  }

  @Test
  void onlyTheFlowSurelyDenied_isWouldBreak() throws Exception {
    ClusterModel m = new ManifestLoader(false).load("p.yaml", new StringReader(APP)).model();
    TrafficModel t = new TrafficModel(List.of(to("api.example.com"), to("evil.example.net"), to("93.184.216.34/32")),
        9, List.of(), 0, Map.of());
    List<String> subjects = Analyzer.run(m, t, Analyzer.Options.defaults()).report().findings().stream()
        .filter(f -> f.rule() == Rule.WOULD_BREAK).map(Finding::subject).toList();
    assertEquals(List.of("shop/Deployment/api -> external:evil.example.net"), subjects);
  }
}
