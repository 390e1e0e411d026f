package io.meshwarden.bench;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.ObjectKey;
import io.meshwarden.index.SnapshotChange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Times the live index the way a cluster drives it: a synthetic cluster of Deployments (each with
 * a ReplicaSet, pods and a Service, plus NetworkPolicies per namespace) is applied object by
 * object, then single changes (a pod replaced, a Deployment's labels edited) are applied one at a
 * time, each timed from the call to {@code apply} until a published snapshot shows it. The time
 * includes the index's debounce. Heap is measured after a full GC, with and without the index.
 */
public final class IndexBenchmark {
  /** What to generate and how many changes to time. */
  public record Spec(int workloads, int namespaces, int podsPerWorkload, int policiesPerNamespace, int changes,
      long seed) {}

  /** Milliseconds; percentiles over the timed changes. */
  public record Result(Spec spec, int objects, long loadMillis, long heapMb, double heapKbPerWorkload,
      double podP50, double podP99, double podMax, double specP50, double specP99, double specMax,
      long namespacesRebuiltPerPodChange) {}

  private IndexBenchmark() {}

  public static Result run(Spec spec, LiveIndex.Options options) throws Exception {
    long heapBefore = usedHeapAfterGc();
    try (LiveIndex index = new LiveIndex(options)) {
      long t0 = System.nanoTime();
      int objects = load(index, spec);
      ClusterSnapshot loaded = index.flush().get(5, TimeUnit.MINUTES);
      long loadMillis = (System.nanoTime() - t0) / 1_000_000;
      if (loaded.model().workloads().size() != spec.workloads()) {
        throw new IllegalStateException("expected " + spec.workloads() + " workloads, the index has "
            + loaded.model().workloads().size());
      }
      long heap = usedHeapAfterGc() - heapBefore;
      Random random = new Random(spec.seed());
      double[] pod = new double[spec.changes()];
      long rebuiltBefore = index.stats().namespacesRebuilt();
      for (int i = 0; i < spec.changes(); i++) {
        pod[i] = podChange(index, spec, random, i);
      }
      long rebuiltPerChange = (index.stats().namespacesRebuilt() - rebuiltBefore) / Math.max(1, spec.changes());
      double[] specTimes = new double[Math.max(1, spec.changes() / 4)];
      for (int i = 0; i < specTimes.length; i++) {
        specTimes[i] = specChange(index, spec, random, i);
      }
      Arrays.sort(pod);
      Arrays.sort(specTimes);
      return new Result(spec, objects, loadMillis, heap >> 20, (heap / 1024.0) / spec.workloads(),
          pct(pod, 50), pct(pod, 99), pod[pod.length - 1], pct(specTimes, 50), pct(specTimes, 99),
          specTimes[specTimes.length - 1], rebuiltPerChange);
    }
  }

  private static double pct(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static String ns(Spec spec, int w) {
    return "ns-" + (w % spec.namespaces());
  }

  /** The namespace of workload {@code w} (0-based) in the generated cluster. */
  public static String namespaceOf(Spec spec, int w) {
    return ns(spec, w);
  }

  /** The name of pod {@code p} of workload {@code w} in the generated cluster. */
  public static String podName(int w, int p) {
    return "app-" + w + "-5d4f-" + p;
  }

  /** The address of pod {@code p} of workload {@code w} in the generated cluster. */
  public static String podIp(int w, int p) {
    return ip(w, p);
  }

  /** The service account of workload {@code w}'s pods. */
  public static String serviceAccount(int w) {
    return "sa-" + w;
  }

  private static Map<String, String> labels(int w, String version) {
    return Map.of("app", "app-" + w, "tier", w % 3 == 0 ? "front" : "back", "version", version);
  }

  private static PodTemplateSpec template(int w, String version) {
    return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels(w, version)).endMetadata()
        .withNewSpec().withServiceAccountName(serviceAccount(w)).withContainers(new ContainerBuilder().withName("app")
            .withImage("app:" + version).addNewPort().withName("http").withContainerPort(8080).endPort().build())
        .endSpec().build();
  }

  private static Deployment deployment(Spec spec, int w, String version) {
    return new DeploymentBuilder().withNewMetadata().withNamespace(ns(spec, w)).withName("app-" + w).endMetadata()
        .withNewSpec().withReplicas(spec.podsPerWorkload()).withTemplate(template(w, version)).endSpec().build();
  }

  private static Pod pod(Spec spec, int w, String podName, String ip) {
    Map<String, String> l = new java.util.HashMap<>(labels(w, "1"));
    l.put("pod-template-hash", "5d4f");
    return new PodBuilder().withNewMetadata().withNamespace(ns(spec, w)).withName(podName).withLabels(l)
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
            .withName("app-" + w + "-5d4f").withUid("rs-" + w).withController(true).build())
        .endMetadata().withNewSpec().withServiceAccountName(serviceAccount(w))
        .withContainers(new ContainerBuilder().withName("app").withImage("app:1").build()).endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).endStatus().build();
  }

  private static String ip(int w, int p) {
    int n = w * 8 + p;
    return "10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
  }

  /** Applies the generated cluster to {@code index} object by object; returns how many objects. */
  public static int load(LiveIndex index, Spec spec) {
    int objects = 0;
    for (int w = 0; w < spec.workloads(); w++) {
      String ns = ns(spec, w);
      index.apply(deployment(spec, w, "1"));
      index.apply(new ReplicaSetBuilder().withNewMetadata().withNamespace(ns).withName("app-" + w + "-5d4f")
          .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
              .withName("app-" + w).withUid("d-" + w).withController(true).build())
          .endMetadata().withNewSpec().withTemplate(template(w, "1")).endSpec().build());
      index.apply(new ServiceBuilder().withNewMetadata().withNamespace(ns).withName("app-" + w).endMetadata()
          .withNewSpec().withSelector(Map.of("app", "app-" + w)).addNewPort().withPort(80).withNewTargetPort("http")
          .endPort().endSpec().build());
      objects += 3;
      for (int p = 0; p < spec.podsPerWorkload(); p++) {
        index.apply(pod(spec, w, podName(w, p), ip(w, p)));
        objects++;
      }
    }
    for (int n = 0; n < spec.namespaces(); n++) {
      for (int p = 0; p < spec.policiesPerNamespace(); p++) {
        int target = n + p * spec.namespaces();
        index.apply(new NetworkPolicyBuilder().withNewMetadata().withNamespace("ns-" + n).withName("allow-" + p)
            .endMetadata().withNewSpec().withNewPodSelector().addToMatchLabels("app", "app-" + target)
            .endPodSelector().addNewIngress().addNewFrom().withNewPodSelector()
            .addToMatchLabels("tier", "front").endPodSelector().endFrom().addNewPort().withNewPort("http").endPort()
            .endIngress().endSpec().build());
        objects++;
      }
    }
    return objects;
  }

  /** Replaces one pod of a random workload; returns ms until a snapshot resolves the new pod's IP. */
  private static double podChange(LiveIndex index, Spec spec, Random random, int i) throws Exception {
    int w = random.nextInt(spec.workloads());
    // Addresses outside the generated ones, one per change, so no two live pods share one.
    String newIp = "10.200." + ((i >> 8) & 255) + "." + (i & 255);
    String name = "app-" + w + "-5d4f-r" + i;
    return timed(index, s -> s.podIps().resolve(newIp, null).map(o -> o.pod().equals(name)).orElse(false), () -> {
      index.delete(ObjectKey.of("Pod", ns(spec, w), "app-" + w + "-5d4f-0"));
      index.apply(pod(spec, w, name, newIp));
    });
  }

  /** Edits a random Deployment's template labels; returns ms until the snapshot's model shows it. */
  private static double specChange(LiveIndex index, Spec spec, Random random, int i) throws Exception {
    int w = random.nextInt(spec.workloads());
    String version = "v" + (i + 2);
    String id = ns(spec, w) + "/Deployment/app-" + w;
    return timed(index, s -> s.model().workloads().stream().anyMatch(x -> x.id().equals(id)
        && version.equals(x.podLabels().get("version"))), () -> index.apply(deployment(spec, w, version)));
  }

  private static double timed(LiveIndex index, Predicate<ClusterSnapshot> shows, Runnable change) throws Exception {
    CompletableFuture<Long> seen = new CompletableFuture<>();
    AtomicReference<io.meshwarden.index.ClusterState.Subscription> sub = new AtomicReference<>();
    sub.set(index.subscribe(ns -> true, (SnapshotChange c) -> {
      if (shows.test(c.current())) {
        seen.complete(System.nanoTime());
      }
    }));
    try {
      long t0 = System.nanoTime();
      change.run();
      long t1 = seen.get(10, TimeUnit.SECONDS);
      return (t1 - t0) / 1e6;
    } finally {
      sub.get().close();
    }
  }

  /** For callers that want the list of sizes in one JVM. */
  public static List<Spec> specs(List<Integer> sizes, int namespaces, int pods, int policies, int changes, long seed) {
    List<Spec> out = new ArrayList<>();
    sizes.forEach(n -> out.add(new Spec(n, namespaces, pods, policies, changes, seed)));
    return out;
  }
}
