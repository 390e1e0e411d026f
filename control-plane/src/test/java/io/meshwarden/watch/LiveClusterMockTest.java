package io.meshwarden.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.LiveIndex;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What {@code serve} runs without manifests: objects already in the cluster are in the first snapshot. */
@EnableKubernetesMockClient(crud = true)
class LiveClusterMockTest {
  static {
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
  }

  KubernetesClient client;

  @Test
  void theFirstSnapshotHoldsWhatTheWatchedNamespacesHad() throws Exception {
    for (String ns : List.of("shop", "other")) {
      client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("web").endMetadata()
          .withNewSpec().withContainers(new ContainerBuilder().withName("app").build()).endSpec()
          .withNewStatus().withPhase("Running").withPodIP(ns.equals("shop") ? "10.0.0.1" : "10.0.0.2").endStatus()
          .build()).create();
    }
    StringWriter log = new StringWriter();
    try (LiveIndex index = new LiveIndex(LiveIndex.Options.defaults());
        LiveCluster live = LiveCluster.watch(client, index, new ClusterWatch.Options(List.of("shop"),
            Duration.ofMinutes(5)), new PrintWriter(log, true))) {
      ClusterSnapshot first = index.flush().get(10, TimeUnit.SECONDS);

      assertEquals(List.of("shop/Pod/web"), first.model().workloads().stream().map(w -> w.id()).toList(),
          "--namespace shop leaves the other namespace out");
      assertTrue(log.toString().contains("Pod in shop"), log.toString());
    }
  }
}
