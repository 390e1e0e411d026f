package io.meshwarden.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.model.Workload;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestSourceTest {
  private static final String GOOD = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: app, ports: [{containerPort: 8080}]}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-5d4f-a
        namespace: shop
        labels: {app: web, pod-template-hash: 5d4f}
        ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f, controller: true, uid: x}]
      spec: {containers: [{name: app}]}
      status: {phase: Running, podIP: 10.1.0.4}
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: broken}
      spec:
        podSelector: {}
        ingress: [{ports: [{port: 99999}]}]
      """;

  @TempDir Path dir;

  @Test
  void filesFeedTheIndexThroughTheSameConverters() throws Exception {
    Files.writeString(dir.resolve("app.yaml"), GOOD);
    try (LiveIndex index = Fixtures.index(new Fixtures.TestClock())) {
      int n = ManifestSource.load(index, List.of(dir.toString()), "default", new ByteArrayInputStream(new byte[0]));
      ClusterSnapshot s = index.flush().get(10, TimeUnit.SECONDS);

      assertEquals(3, n);
      assertEquals(List.of("shop/Deployment/web"), s.model().workloads().stream().map(Workload::id).toList());
      assertEquals("shop/Deployment/web", s.podIps().resolve("10.1.0.4", null).orElseThrow().workloadId());
      Diagnostic d = s.diagnostics().get(0);
      assertEquals(ObjectKey.of("NetworkPolicy", "default", "broken"), d.object(), "no namespace: default");
      assertEquals("invalid-object", d.code());
      assertTrue(d.origin().toString().endsWith("app.yaml:19"), d.origin().toString());
    }
  }

  @Test
  void anUnreadableFileAppliesNothing() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), GOOD);
    Files.writeString(dir.resolve("b.yaml"), "kind: [unclosed");
    try (LiveIndex index = Fixtures.index(new Fixtures.TestClock())) {
      assertThrows(ManifestException.class, () -> ManifestSource.load(index, List.of(dir.toString()), "default",
          new ByteArrayInputStream(new byte[0])));
      assertEquals(0, index.flush().get(10, TimeUnit.SECONDS).model().workloads().size());
    }
  }
}
