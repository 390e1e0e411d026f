package io.meshwarden.aggregate;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.LiveIndex;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Cluster states for aggregator tests, built through the live index as informers would feed it. */
final class TestClusters {
  private TestClusters() {}

  /** Deployments frontend (pod 10.0.0.10, port 8080) and cart (pod 10.0.0.12, port 7070) in default. */
  static ClusterSnapshot frontendAndCart() throws Exception {
    try (LiveIndex index = new LiveIndex(LiveIndex.Options.defaults())) {
      deployment(index, "frontend", 8080, "6b9d7c8f5", "q0z", "10.0.0.10");
      deployment(index, "cart", 7070, "7d9f8c6b5d", "abcde", "10.0.0.12");
      return index.flush().get(10, TimeUnit.SECONDS);
    }
  }

  /** A state after frontend's only pod went away, and a moment while the pod still held 10.0.0.10. */
  record Churn(ClusterSnapshot after, Instant whileHeld) {}

  static Churn frontendPodGone() throws Exception {
    try (LiveIndex index = new LiveIndex(LiveIndex.Options.defaults())) {
      Pod frontend = deployment(index, "frontend", 8080, "6b9d7c8f5", "q0z", "10.0.0.10");
      deployment(index, "cart", 7070, "7d9f8c6b5d", "abcde", "10.0.0.12");
      index.flush().get(10, TimeUnit.SECONDS);
      Thread.sleep(5);
      Instant whileHeld = Instant.now();
      Thread.sleep(5);
      index.delete(frontend);
      return new Churn(index.flush().get(10, TimeUnit.SECONDS), whileHeld);
    }
  }

  private static Pod deployment(LiveIndex index, String name, int port, String hash, String suffix, String ip) {
    Map<String, String> labels = Map.of("app", name);
    PodTemplateSpec template = new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().withServiceAccountName(name).withContainers(new ContainerBuilder().withName("app")
            .withImage("app:1").addNewPort().withName("http").withContainerPort(port).endPort().build())
        .endSpec().build();
    index.apply(new DeploymentBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
        .withNewSpec().withReplicas(1).withTemplate(template).endSpec().build());
    index.apply(new ReplicaSetBuilder().withNewMetadata().withNamespace("default").withName(name + "-" + hash)
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
            .withName(name).withController(true).build())
        .endMetadata().withNewSpec().withReplicas(1).withTemplate(template).endSpec().build());
    Pod pod = new PodBuilder().withNewMetadata().withNamespace("default").withName(name + "-" + hash + "-" + suffix)
        .withLabels(labels).withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1")
            .withKind("ReplicaSet").withName(name + "-" + hash).withController(true).build()).endMetadata()
        .withSpec(template.getSpec()).withNewStatus().withPhase("Running").withPodIP(ip).endStatus().build();
    index.apply(pod);
    return pod;
  }
}
