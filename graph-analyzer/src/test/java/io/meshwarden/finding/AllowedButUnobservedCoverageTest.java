package io.meshwarden.finding;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.analysis.Analyzer;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.ingest.traffic.TrafficLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.traffic.TrafficModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MW101 counts as unused only what the flow sources in use could have seen. */
class AllowedButUnobservedCoverageTest {
  private static final String M = "../manifests/examples/online-boutique/";

  private static List<Finding> mw101FromInboundHttpLogs() throws Exception {
    ClusterModel m = new ManifestLoader(false).load(List.of(M + "derived/kustomize-base+network-policies.rendered.yaml",
        M + "flows/endpointslices.yaml")).model();
    TrafficModel t = TrafficLoader.load(List.of(M + "flows/envoy-inbound-access-log.jsonl"), m,
        TrafficLoader.Options.defaults()).traffic();
    return Analyzer.run(m, t, Analyzer.Options.defaults()).report().findings().stream()
        .filter(f -> f.rule() == Rule.ALLOWED_BUT_UNOBSERVED).toList();
  }

  @Test
  void ruleAdmittingOnlyWhatAnHttpAccessLogCannotSee_isNotReportedAsUnused() throws Exception {
    List<Finding> unused = mw101FromInboundHttpLogs();
    // redis-cart's ingress admits cartservice on TCP 6379: Redis speaks no HTTP, and nothing was
    // logged into redis-cart, so "remove it" would cut the cart.
    assertFalse(unused.stream().anyMatch(f -> f.title().startsWith("ingress rule 1 of NetworkPolicy default/redis-cart")),
        unused.toString());
    // An allow-all egress rule is observable where the destinations log (their inbound logs would
    // show the call), but its pair to redis-cart is not, and is not counted as unused.
    Finding cartEgress = unused.stream().filter(f -> f.title().startsWith("egress rule 1 of NetworkPolicy default/cartservice"))
        .findFirst().orElseThrow();
    assertTrue(cartEgress.title().contains("0 used, 2 not observable"), cartEgress.title());
    assertTrue(cartEgress.evidence().contains("not observable: default/cartservice -> default/redis-cart : All Connections"),
        cartEgress.evidence().toString());
    assertFalse(cartEgress.evidence().stream().anyMatch(e -> e.startsWith("unused:") && e.contains("redis-cart")));
  }

  @Test
  void remediation_saysWhatWasAndWasNotObservable() throws Exception {
    List<Finding> unused = mw101FromInboundHttpLogs();
    assertFalse(unused.isEmpty(), "frontend's open ingress is observable and mostly unused");
    for (Finding f : unused) {
      assertTrue(f.remediation().contains("Observable: ") && f.remediation().contains("Envoy inbound HTTP access log"),
          f.remediation());
    }
    assertTrue(unused.stream().anyMatch(f -> f.remediation().contains("not observable")
        && f.remediation().contains("cannot see")), unused.toString());
  }
}
