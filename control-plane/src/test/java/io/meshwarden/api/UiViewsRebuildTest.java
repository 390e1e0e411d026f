package io.meshwarden.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.meshwarden.aggregate.TrafficView;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.traffic.TrafficModel;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The graph views read only the policy model and the traffic: a pod that comes or goes is a new
 * snapshot (answered with its version) but not a new graph; a policy or traffic change is.
 */
class UiViewsRebuildTest {
  private static final TrafficView TRAFFIC = new TrafficView(7, TrafficModel.empty(), Map.of());

  @Test
  void aPodChangeKeepsTheGraph_aPolicyOrTrafficChangeRebuildsIt() throws Exception {
    try (LiveIndex index = new LiveIndex(LiveIndex.Options.defaults())) {
      deployment(index, "frontend", 8080);
      deployment(index, "cart", 7070);
      ClusterSnapshot first = index.flush().get(10, TimeUnit.SECONDS);
      LiveAnalysis analysis = new LiveAnalysis("test", "cluster.local");
      AtomicInteger builds = new AtomicInteger();
      UiViews views = new UiViews(s -> {
        builds.incrementAndGet();
        return analysis.connectivity(s);
      });
      assertEquals(first.version(), views.overview(first, TRAFFIC).getLong("clusterVersion"));
      String graph = analysis.graph(first, TRAFFIC, null);
      assertEquals(1, builds.get());

      pod(index, "cart", "10.0.0.12");
      ClusterSnapshot podStarted = index.flush().get(10, TimeUnit.SECONDS);
      assertTrue(podStarted.version() > first.version());
      assertSame(first.model(), podStarted.model(), "a pod leaves the policy model as it was");
      assertEquals(podStarted.version(), views.overview(podStarted, TRAFFIC).getLong("clusterVersion"));
      assertEquals(podStarted.version(), views.group(podStarted, TRAFFIC, "default", false).getLong("clusterVersion"));
      assertEquals(1, builds.get(), "the pod did not rebuild the graph");
      assertSame(graph, analysis.graph(podStarted, TRAFFIC, null), "nor the whole-cluster graph");

      index.apply(new NetworkPolicyBuilder().withNewMetadata().withNamespace("default").withName("cart-in")
          .endMetadata().withNewSpec().withNewPodSelector().addToMatchLabels("app", "cart").endPodSelector()
          .addToPolicyTypes("Ingress").endSpec().build());
      ClusterSnapshot policed = index.flush().get(10, TimeUnit.SECONDS);
      views.overview(policed, TRAFFIC);
      assertEquals(2, builds.get(), "a new policy is a new graph");
      assertNotSame(graph, analysis.graph(policed, TRAFFIC, null));

      views.overview(policed, new TrafficView(8, TrafficModel.empty(), Map.of()));
      assertEquals(3, builds.get(), "new traffic is a new graph");
    }
  }

  private static PodTemplateSpec template(String name, int port) {
    return new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
        .withNewSpec().withContainers(new ContainerBuilder().withName("app").withImage("app:1").addNewPort()
            .withName("http").withContainerPort(port).endPort().build()).endSpec().build();
  }

  private static void deployment(LiveIndex index, String name, int port) {
    index.apply(new DeploymentBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
        .withNewSpec().withReplicas(1).withTemplate(template(name, port)).endSpec().build());
  }

  private static void pod(LiveIndex index, String name, String ip) {
    index.apply(new PodBuilder().withNewMetadata().withNamespace("default").withName(name + "-5d4f-x1")
        .withLabels(Map.of("app", name, "pod-template-hash", "5d4f")).withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion("apps/v1").withKind("ReplicaSet").withName(name + "-5d4f").withController(true).build())
        .endMetadata().withSpec(template(name, 7070).getSpec()).withNewStatus().withPhase("Running").withPodIP(ip)
        .endStatus().build());
  }
}
