package io.meshwarden.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.model.Workload;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The live graph's connectivity reads pod addresses when an admin-tier networks peer matches pods by them. */
class LiveAnalysisTest {
  private static Pod pod(String ns, String name, String ip) {
    return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(Map.of("app", name))
        .endMetadata().withNewSpec().withContainers(new ContainerBuilder().withName("c").withImage("x").build())
        .endSpec().withNewStatus().withPhase("Running").withPodIP(ip).endStatus().build();
  }

  private static String allowed(Connectivity c, ClusterSnapshot s, String src, String dst) {
    return c.allowed(new Peer.WorkloadPeer(workload(s, src)), new Peer.WorkloadPeer(workload(s, dst))).toString();
  }

  private static Workload workload(ClusterSnapshot s, String id) {
    return s.model().workloads().stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void networksPeers_matchLivePodsByTheirCurrentAddresses() throws Exception {
    try (LiveIndex index = new LiveIndex(new LiveIndex.Options(Duration.ofMillis(5), Duration.ofMillis(50),
        Duration.ofMinutes(10), "default", Clock.systemUTC()))) {
      for (String ns : List.of("a", "b")) {
        index.apply(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build());
      }
      index.apply(pod("a", "client", "10.1.0.10"));
      index.apply(pod("b", "db", "10.2.0.5"));
      index.apply(new GenericKubernetesResourceBuilder().withApiVersion("policy.networking.k8s.io/v1alpha2")
          .withKind("ClusterNetworkPolicy").withNewMetadata().withName("no-10-2").endMetadata()
          .addToAdditionalProperties("spec", Map.of("tier", "Admin", "priority", 1, "subject",
              Map.of("namespaces", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "a"))),
              "egress", List.of(Map.of("name", "deny", "action", "Deny", "to",
                  List.of(Map.of("networks", List.of("10.2.0.0/16"))))))).build());
      ClusterSnapshot s = index.flush().get(10, TimeUnit.SECONDS);
      assertEquals(List.of(), s.model().workloads().get(0).podIps(), "the policy view carries no addresses");
      LiveAnalysis live = new LiveAnalysis("test", "cluster.local");
      Connectivity c = live.connectivity(s);
      assertEquals("No Connections", allowed(c, s, "a/Pod/client", "b/Pod/db"));
      assertSame(c, live.connectivity(s), "the same snapshot is not analysed twice");

      // The pod moves out of the range: same policy view, new addresses, new answer.
      index.apply(pod("b", "db", "10.3.0.5"));
      ClusterSnapshot moved = index.flush().get(10, TimeUnit.SECONDS);
      Connectivity after = live.connectivity(moved);
      assertNotSame(c, after);
      assertEquals("All Connections", allowed(after, moved, "a/Pod/client", "b/Pod/db"));
    }
  }
}
