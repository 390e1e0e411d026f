package io.meshwarden.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In the live index a CIDR the API server would refuse is a diagnostic of its own code, not a generic refusal. */
class InvalidCidrDiagnosticTest {
  @TempDir Path dir;

  @Test
  void aBadCidrIsAnInvalidCidrDiagnosticNamingTheValue() throws Exception {
    Files.writeString(dir.resolve("np.yaml"), """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: bad, namespace: shop}
        spec:
          podSelector: {}
          egress:
          - to: [{ipBlock: {cidr: "zc00::/8"}}]
        """);
    try (LiveIndex index = Fixtures.index(new Fixtures.TestClock())) {
      ManifestSource.load(index, List.of(dir.toString()), "default", new ByteArrayInputStream(new byte[0]));
      ClusterSnapshot s = index.flush().get(10, TimeUnit.SECONDS);
      Diagnostic d = s.diagnostics().get(0);
      assertEquals("invalid-cidr", d.code());
      assertEquals(Diagnostic.Severity.ERROR, d.severity());
      assertTrue(d.message().contains("np.yaml:7: ") && d.message().contains("zc00::/8"),
          "the line of the rule and the value: " + d.message());
      assertTrue(s.model().networkPolicies().isEmpty(), "nothing half-applied");
    }
  }
}
