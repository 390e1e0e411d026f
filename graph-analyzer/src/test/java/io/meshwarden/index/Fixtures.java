package io.meshwarden.index;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Kubernetes objects for index tests, built the way an informer delivers them. */
final class Fixtures {
  private Fixtures() {}

  static LiveIndex index(Clock clock) {
    return new LiveIndex(new LiveIndex.Options(Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofMinutes(10),
        "default", clock));
  }

  static PodTemplateSpec template(Map<String, String> labels, String serviceAccount, int port) {
    return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().withServiceAccountName(serviceAccount)
        .withContainers(new ContainerBuilder().withName("app").withImage("app:1").addNewPort().withName("http")
            .withContainerPort(port).endPort().build())
        .endSpec().build();
  }

  static Deployment deployment(String ns, String name, Map<String, String> labels, int port) {
    return new DeploymentBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withReplicas(2).withTemplate(template(labels, "sa-" + name, port)).endSpec().build();
  }

  static ReplicaSet replicaSet(String ns, String deployment, String hash, Map<String, String> labels, int port) {
    return new ReplicaSetBuilder().withNewMetadata().withNamespace(ns).withName(deployment + "-" + hash)
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
            .withName(deployment).withController(true).build())
        .endMetadata().withNewSpec().withReplicas(2).withTemplate(template(labels, "sa-" + deployment, port))
        .endSpec().build();
  }

  static CronJob cronJob(String ns, String name, Map<String, String> labels) {
    return new CronJobBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withSchedule("* * * * *").withNewJobTemplate().withNewSpec()
        .withTemplate(template(labels, "default", 8080)).endSpec().endJobTemplate().endSpec().build();
  }

  static Job job(String ns, String name, String cronJob, Map<String, String> labels) {
    return new JobBuilder().withNewMetadata().withNamespace(ns).withName(name)
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
            .withName(cronJob).withController(true).build())
        .endMetadata().withNewSpec().withTemplate(template(labels, "default", 8080)).endSpec().build();
  }

  /** A running pod owned by {@code ownerKind/ownerName} (null: a bare pod). */
  static Pod pod(String ns, String name, String ownerKind, String ownerName, Map<String, String> labels, String ip) {
    PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels)
        .endMetadata()
        .withNewSpec().withServiceAccountName("sa").withContainers(new ContainerBuilder().withName("app")
            .withImage("app:1").build()).endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).endStatus();
    if (ownerKind != null) {
      b.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind(ownerKind)
          .withName(ownerName).withController(true).build()).endMetadata();
    }
    return b.build();
  }

  static io.fabric8.kubernetes.api.model.Service service(String ns, String name, Map<String, String> selector,
      int port) {
    return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withSelector(selector).addNewPort().withPort(port).endPort().endSpec().build();
  }

  static NetworkPolicy denyAll(String ns, String name) {
    return new NetworkPolicyBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build();
  }

  /** A policy with a port out of range: refused by the converter. */
  static NetworkPolicy badPort(String ns, String name) {
    return new NetworkPolicyBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withNewPodSelector().endPodSelector().addNewIngress().addNewPort()
        .withNewPort(70000).endPort().endIngress().endSpec().build();
  }

  static io.fabric8.kubernetes.api.model.Namespace namespace(String name, Map<String, String> labels) {
    return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
  }

  static GenericKubernetesResource adminPolicy(String name, int priority) {
    return new GenericKubernetesResourceBuilder().withApiVersion("policy.networking.k8s.io/v1alpha1")
        .withKind("AdminNetworkPolicy").withNewMetadata().withName(name).endMetadata()
        .addToAdditionalProperties("spec", Map.of("priority", priority,
            "subject", Map.of("namespaces", Map.of()),
            "ingress", java.util.List.of(Map.of("name", "deny-all", "action", "Deny",
                "from", java.util.List.of(Map.of("namespaces", Map.of())))))).build();
  }

  /** A ClusterNetworkPolicy of {@code group} (policy.networking.k8s.io, or Antrea's crd.antrea.io). */
  static GenericKubernetesResource clusterPolicy(String group, String version, String name, String tier, int priority) {
    return new GenericKubernetesResourceBuilder().withApiVersion(group + "/" + version)
        .withKind("ClusterNetworkPolicy").withNewMetadata().withName(name).endMetadata()
        .addToAdditionalProperties("spec", Map.of("tier", tier, "priority", priority,
            "subject", Map.of("namespaces", Map.of()),
            "ingress", java.util.List.of(Map.of("name", "deny-all", "action", "Deny",
                "from", java.util.List.of(Map.of("namespaces", Map.of())))))).build();
  }

  /** A clock the test moves by hand. */
  static final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-29T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
