package io.meshwarden.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.Diagnostic;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.SnapshotChange;
import io.meshwarden.model.Workload;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The informers against fabric8's mock API server in CRUD mode: what changes there shows in the index. */
@EnableKubernetesMockClient(crud = true)
class ClusterWatchMockTest {
  private static final Map<String, String> WEB = Map.of("app", "web");
  /** The mock server logs every request at INFO; the test output is for failures. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  KubernetesClient client;
  private final LiveIndex index = new LiveIndex(new LiveIndex.Options(Duration.ofMillis(5), Duration.ofMillis(50),
      Duration.ofMinutes(10), "default", Clock.systemUTC()));
  private ClusterWatch watch;

  @AfterEach
  void stop() {
    if (watch != null) {
      watch.close();
    }
    index.close();
  }

  private final List<String> heard = new CopyOnWriteArrayList<>();

  private void startWatch() throws Exception {
    watch = ClusterWatch.start(client, index, new ClusterWatch.Options(List.of(), Duration.ZERO),
        Duration.ofSeconds(20), heard::add);
  }

  private void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what + "; watching " + watch.watchedKinds());
      }
      Thread.sleep(10);
    }
  }

  private ClusterSnapshot await(String what, Predicate<ClusterSnapshot> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      ClusterSnapshot s = index.flush().get(10, TimeUnit.SECONDS);
      if (condition.test(s)) {
        return s;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("timed out waiting for: " + what + "; last " + index.current().model());
  }

  private static boolean hasWorkload(ClusterSnapshot s, String id) {
    return s.model().workloads().stream().anyMatch(w -> w.id().equals(id));
  }

  private static Workload workload(ClusterSnapshot s, String id) {
    return s.model().workloads().stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow();
  }

  private static PodTemplateSpec template(Map<String, String> labels) {
    return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
        .withContainers(new ContainerBuilder().withName("app").withImage("app:1").build()).endSpec().build();
  }

  private static Pod pod(String ns, String name, String ownerKind, String owner, Map<String, String> labels,
      String ip) {
    PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels)
        .endMetadata().withNewSpec().withContainers(new ContainerBuilder().withName("app").build()).endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).endStatus();
    if (ownerKind != null) {
      b.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(ownerKind)
          .withName(owner).withUid(owner).withController(true).build()).endMetadata();
    }
    return b.build();
  }

  @Test
  void podsAndTheirControllersComeGoAndChange() throws Exception {
    startWatch();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
        .withLabels(Map.of("team", "a")).endMetadata().build()).create();
    client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder().withNewMetadata()
        .withName("web").endMetadata().withNewSpec().withTemplate(template(WEB)).endSpec().build()).create();
    client.apps().replicaSets().inNamespace("shop").resource(new ReplicaSetBuilder().withNewMetadata()
        .withName("web-5d4f").withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1")
            .withKind("Deployment").withName("web").withUid("web").withController(true).build()).endMetadata()
        .withNewSpec().withTemplate(template(WEB)).endSpec().build()).create();
    client.pods().inNamespace("shop").resource(pod("shop", "web-5d4f-a", "ReplicaSet", "web-5d4f", WEB, "10.0.0.1"))
        .create();
    client.apps().statefulSets().inNamespace("shop").resource(new StatefulSetBuilder().withNewMetadata()
        .withName("db").endMetadata().withNewSpec().withTemplate(template(Map.of("app", "db"))).endSpec().build())
        .create();
    client.apps().daemonSets().inNamespace("shop").resource(new DaemonSetBuilder().withNewMetadata()
        .withName("agent").endMetadata().withNewSpec().withTemplate(template(Map.of("app", "agent"))).endSpec()
        .build()).create();
    client.batch().v1().cronjobs().inNamespace("shop").resource(new CronJobBuilder().withNewMetadata()
        .withName("backup").endMetadata().withNewSpec().withSchedule("@daily").withNewJobTemplate().withNewSpec()
        .withTemplate(template(Map.of("app", "backup"))).endSpec().endJobTemplate().endSpec().build()).create();
    client.batch().v1().jobs().inNamespace("shop").resource(new JobBuilder().withNewMetadata()
        .withName("backup-1").withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1")
            .withKind("CronJob").withName("backup").withUid("backup").withController(true).build()).endMetadata()
        .withNewSpec().withTemplate(template(Map.of("app", "backup"))).endSpec().build()).create();
    client.pods().inNamespace("shop").resource(pod("shop", "backup-1-x", "Job", "backup-1", Map.of("app", "backup"),
        "10.0.0.2")).create();

    ClusterSnapshot s = await("every workload", x -> x.model().workloads().size() == 4
        && x.model().namespace("shop").labels().containsKey("team")
        && x.podIps().resolve("10.0.0.2", null).isPresent());
    assertEquals(List.of("shop/DaemonSet/agent", "shop/CronJob/backup", "shop/StatefulSet/db", "shop/Deployment/web"),
        s.model().workloads().stream().map(Workload::id).toList(), "ReplicaSets and Jobs are not workloads");
    assertEquals("shop/Deployment/web", s.podIps().resolve("10.0.0.1", null).orElseThrow().workloadId());
    assertEquals("shop/CronJob/backup", s.podIps().resolve("10.0.0.2", null).orElseThrow().workloadId());

    // Update: a new label on the Deployment's template; Namespace labels.
    client.apps().deployments().inNamespace("shop").withName("web")
        .edit(d -> new DeploymentBuilder(d).editSpec().withTemplate(template(Map.of("app", "web", "v", "2")))
            .endSpec().build());
    client.namespaces().withName("shop").edit(n -> new NamespaceBuilder(n).editMetadata()
        .withLabels(Map.of("team", "b")).endMetadata().build());
    s = await("updates", x -> "2".equals(workload(x, "shop/Deployment/web").podLabels().get("v"))
        && "b".equals(x.model().namespace("shop").labels().get("team")));

    // Delete: the StatefulSet, DaemonSet, CronJob (with its job and pod), the Deployment's pod.
    client.apps().statefulSets().inNamespace("shop").withName("db").delete();
    client.apps().daemonSets().inNamespace("shop").withName("agent").delete();
    client.batch().v1().jobs().inNamespace("shop").withName("backup-1").delete();
    client.pods().inNamespace("shop").withName("backup-1-x").delete();
    client.batch().v1().cronjobs().inNamespace("shop").withName("backup").delete();
    client.pods().inNamespace("shop").withName("web-5d4f-a").delete();
    s = await("deletes", x -> x.model().workloads().size() == 1
        && x.status(workload(x, "shop/Deployment/web")).pods() == 0);
    assertEquals(List.of("shop/Deployment/web"), s.model().workloads().stream().map(Workload::id).toList());
    assertEquals("shop/Deployment/web", s.podIps().resolve("10.0.0.1", null).orElseThrow().workloadId(),
        "a deleted pod's address still resolves");
  }

  @Test
  void servicesPoliciesAndEntryPointsComeGoAndChange() throws Exception {
    startWatch();
    client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withName("web")
        .endMetadata().withNewSpec().withSelector(WEB).addNewPort().withPort(80).endPort().endSpec().build()).create();
    client.serviceAccounts().inNamespace("shop").resource(new ServiceAccountBuilder().withNewMetadata()
        .withName("web").endMetadata().build()).create();
    client.network().v1().networkPolicies().inNamespace("shop").resource(new NetworkPolicyBuilder()
        .withNewMetadata().withName("deny").endMetadata().withNewSpec().withNewPodSelector().endPodSelector()
        .withPolicyTypes("Ingress").endSpec().build()).create();
    client.network().v1().ingresses().inNamespace("shop").resource(new IngressBuilder().withNewMetadata()
        .withName("front").endMetadata().withNewSpec().withNewDefaultBackend().withNewService().withName("web")
        .withNewPort().withNumber(80).endPort().endService().endDefaultBackend().endSpec().build()).create();
    client.pods().inNamespace("shop").resource(pod("shop", "web", null, null, WEB, "10.0.0.9")).create();
    client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("discovery.k8s.io")
        .withVersion("v1").withKind("EndpointSlice").withPlural("endpointslices").withNamespaced(true).build())
        .inNamespace("shop").resource(new GenericKubernetesResourceBuilder().withApiVersion("discovery.k8s.io/v1")
            .withKind("EndpointSlice").withNewMetadata().withName("web-x")
            .withLabels(Map.of("kubernetes.io/service-name", "web")).endMetadata()
            .addToAdditionalProperties("addressType", "IPv4")
            .addToAdditionalProperties("endpoints", List.of(Map.of("addresses", List.of("10.0.0.10"))))
            .build()).create();

    ClusterSnapshot s = await("objects", x -> x.model().services().size() == 1
        && x.model().serviceAccounts().size() == 1 && x.model().networkPolicies().size() == 1
        && x.model().ingressRoutes().size() == 1 && x.podIps().resolve("10.0.0.10", null).isPresent());
    assertEquals("shop/Pod/web", s.podIps().resolve("10.0.0.10", null).orElseThrow().workloadId(),
        "an EndpointSlice address resolves through its Service's selector");

    client.services().inNamespace("shop").withName("web").edit(x -> new ServiceBuilder(x).editSpec()
        .editFirstPort().withPort(8080).endPort().endSpec().build());
    client.network().v1().networkPolicies().inNamespace("shop").withName("deny").edit(p -> new NetworkPolicyBuilder(p)
        .editSpec().withPolicyTypes("Ingress", "Egress").endSpec().build());
    await("updates", x -> x.model().services().get(0).ports().get(0).port() == 8080
        && x.model().networkPolicies().get(0).affectsEgress());

    client.services().inNamespace("shop").withName("web").delete();
    client.serviceAccounts().inNamespace("shop").withName("web").delete();
    client.network().v1().networkPolicies().inNamespace("shop").withName("deny").delete();
    client.network().v1().ingresses().inNamespace("shop").withName("front").delete();
    await("deletes", x -> x.model().services().isEmpty() && x.model().serviceAccounts().isEmpty()
        && x.model().networkPolicies().isEmpty() && x.model().ingressRoutes().isEmpty());
  }

  private CustomResourceDefinition crd(String group, String plural, String kind, String version, boolean namespaced) {
    return new CustomResourceDefinitionBuilder().withNewMetadata().withName(plural + "." + group).endMetadata()
        .withNewSpec().withGroup(group).withScope(namespaced ? "Namespaced" : "Cluster")
        .withNewNames().withKind(kind).withPlural(plural).endNames()
        .addNewVersion().withName(version).withServed(true).withStorage(true).endVersion().endSpec().build();
  }

  private static ResourceDefinitionContext ctx(String group, String version, String kind, String plural,
      boolean namespaced) {
    return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
        .withPlural(plural).withNamespaced(namespaced).build();
  }

  private static GenericKubernetesResource anp(String name, Object priority) {
    return new GenericKubernetesResourceBuilder().withApiVersion("policy.networking.k8s.io/v1alpha1")
        .withKind("AdminNetworkPolicy").withNewMetadata().withName(name).endMetadata()
        .addToAdditionalProperties("spec", Map.of("priority", priority, "subject", Map.of("namespaces", Map.of()),
            "ingress", List.of(Map.of("name", "deny", "action", "Deny",
                "from", List.of(Map.of("namespaces", Map.of())))))).build();
  }

  @Test
  void customKindsAreWatchedWhenTheirDefinitionsExist() throws Exception {
    client.apiextensions().v1().customResourceDefinitions().resource(crd("policy.networking.k8s.io",
        "adminnetworkpolicies", "AdminNetworkPolicy", "v1alpha1", false)).create();
    client.apiextensions().v1().customResourceDefinitions().resource(crd("security.istio.io",
        "authorizationpolicies", "AuthorizationPolicy", "v1", true)).create();
    client.apiextensions().v1().customResourceDefinitions().resource(crd("gateway.networking.k8s.io",
        "httproutes", "HTTPRoute", "v1", true)).create();
    startWatch();
    assertTrue(watch.watchedKinds().contains("AdminNetworkPolicy (policy.networking.k8s.io/v1alpha1)"),
        watch.watchedKinds().toString());
    assertTrue(watch.watchedKinds().stream().noneMatch(k -> k.startsWith("VirtualService")), "no CRD, no watch");

    var anps = client.genericKubernetesResources(ctx("policy.networking.k8s.io", "v1alpha1", "AdminNetworkPolicy",
        "adminnetworkpolicies", false));
    anps.resource(anp("deny-all", 10)).create();
    client.genericKubernetesResources(ctx("security.istio.io", "v1", "AuthorizationPolicy", "authorizationpolicies",
        true)).inNamespace("shop").resource(new GenericKubernetesResourceBuilder()
            .withApiVersion("security.istio.io/v1").withKind("AuthorizationPolicy").withNewMetadata()
            .withName("allow-nothing").endMetadata().addToAdditionalProperties("spec", Map.of()).build()).create();
    client.genericKubernetesResources(ctx("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes", true))
        .inNamespace("shop").resource(new GenericKubernetesResourceBuilder()
            .withApiVersion("gateway.networking.k8s.io/v1").withKind("HTTPRoute").withNewMetadata()
            .withName("web").endMetadata().addToAdditionalProperties("spec", Map.of("hostnames", List.of("a.b")))
            .build()).create();
    ClusterSnapshot s = await("custom objects", x -> x.model().adminNetworkPolicies().size() == 1
        && x.model().meshResources().size() == 2);
    assertEquals(10, s.model().adminNetworkPolicies().get(0).priority());

    anps.withName("deny-all").edit(a -> anp("deny-all", 20));
    await("update", x -> x.model().adminNetworkPolicies().get(0).priority() == 20);
    anps.withName("deny-all").delete();
    await("delete", x -> x.model().adminNetworkPolicies().isEmpty());
  }

  @Test
  void customKindsAreWatchedOnceTheirDefinitionsAppearAndForgottenWhenTheyGo() throws Exception {
    startWatch();
    String authz = "AuthorizationPolicy (security.istio.io/v1)";
    String anp = "AdminNetworkPolicy (policy.networking.k8s.io/v1alpha1)";
    assertTrue(watch.watchedKinds().stream().noneMatch(k -> k.equals(authz) || k.equals(anp)),
        watch.watchedKinds().toString());
    var crds = client.apiextensions().v1().customResourceDefinitions();

    crds.resource(crd("security.istio.io", "authorizationpolicies", "AuthorizationPolicy", "v1", true)).create();
    crds.resource(crd("policy.networking.k8s.io", "adminnetworkpolicies", "AdminNetworkPolicy", "v1alpha1", false))
        .create();
    awaitTrue("both kinds watched", () -> watch.watchedKinds().containsAll(List.of(authz, anp)));
    client.genericKubernetesResources(ctx("security.istio.io", "v1", "AuthorizationPolicy", "authorizationpolicies",
        true)).inNamespace("shop").resource(new GenericKubernetesResourceBuilder()
            .withApiVersion("security.istio.io/v1").withKind("AuthorizationPolicy").withNewMetadata()
            .withName("allow-nothing").endMetadata().addToAdditionalProperties("spec", Map.of()).build()).create();
    client.genericKubernetesResources(ctx("policy.networking.k8s.io", "v1alpha1", "AdminNetworkPolicy",
        "adminnetworkpolicies", false)).resource(anp("deny-all", 10)).create();
    await("objects of kinds defined after start", x -> x.model().meshResources().size() == 1
        && x.model().adminNetworkPolicies().size() == 1);
    assertTrue(heard.contains("watching " + authz + ": its CustomResourceDefinition appeared"), heard.toString());

    // Deleting a definition deletes its objects; no event says so for each, the index must forget them.
    crds.withName("authorizationpolicies.security.istio.io").delete();
    await("the AuthorizationPolicy forgotten", x -> x.model().meshResources().isEmpty());
    awaitTrue("its watch stopped", () -> !watch.watchedKinds().contains(authz));
    assertEquals(1, index.flush().get(10, TimeUnit.SECONDS).model().adminNetworkPolicies().size(),
        "the other kind stays");
    assertTrue(heard.contains("stopped watching " + authz + ": its CustomResourceDefinition was deleted"),
        heard.toString());
  }

  @Test
  void theNamespaceFilterHoldsForCustomKindsDefinedAfterStart() throws Exception {
    watch = ClusterWatch.start(client, index, new ClusterWatch.Options(List.of("shop"), Duration.ZERO),
        Duration.ofSeconds(20), heard::add);
    client.apiextensions().v1().customResourceDefinitions().resource(crd("security.istio.io",
        "authorizationpolicies", "AuthorizationPolicy", "v1", true)).create();
    awaitTrue("the kind watched in shop", () -> watch.watchedKinds()
        .contains("AuthorizationPolicy (security.istio.io/v1) in shop"));
    var policies = client.genericKubernetesResources(ctx("security.istio.io", "v1", "AuthorizationPolicy",
        "authorizationpolicies", true));
    for (String ns : List.of("other", "shop")) {
      policies.inNamespace(ns).resource(new GenericKubernetesResourceBuilder().withApiVersion("security.istio.io/v1")
          .withKind("AuthorizationPolicy").withNewMetadata().withName("allow-nothing").endMetadata()
          .addToAdditionalProperties("spec", Map.of()).build()).create();
    }
    ClusterSnapshot s = await("the policy in shop", x -> x.model().meshResources().size() == 1);
    Thread.sleep(200); // time for the other namespace's object to arrive, were it watched
    s = index.flush().get(10, TimeUnit.SECONDS);
    assertEquals(List.of("shop"), s.model().meshResources().stream().map(r -> r.namespace()).toList());
  }

  @Test
  void aMalformedObjectIsADiagnosticAndTheRestKeepsWorking() throws Exception {
    client.apiextensions().v1().customResourceDefinitions().resource(crd("policy.networking.k8s.io",
        "adminnetworkpolicies", "AdminNetworkPolicy", "v1alpha1", false)).create();
    startWatch();
    client.network().v1().networkPolicies().inNamespace("shop").resource(new NetworkPolicyBuilder()
        .withNewMetadata().withName("bad").endMetadata().withNewSpec().withNewPodSelector().endPodSelector()
        .addNewIngress().addNewPort().withNewPort(70000).endPort().endIngress().endSpec().build()).create();
    client.genericKubernetesResources(ctx("policy.networking.k8s.io", "v1alpha1", "AdminNetworkPolicy",
        "adminnetworkpolicies", false)).resource(anp("odd", "high")).create();
    client.pods().inNamespace("shop").resource(pod("shop", "web", null, null, WEB, "10.0.0.1")).create();

    ClusterSnapshot s = await("pod and two diagnostics", x -> hasWorkload(x, "shop/Pod/web")
        && x.diagnostics().size() == 2);
    assertTrue(s.model().networkPolicies().isEmpty() && s.model().adminNetworkPolicies().isEmpty());
    for (Diagnostic d : s.diagnostics()) {
      assertEquals("invalid-object", d.code());
      assertEquals(Diagnostic.Severity.ERROR, d.severity());
    }
    assertEquals(List.of("AdminNetworkPolicy odd", "NetworkPolicy shop/bad"),
        s.diagnostics().stream().map(d -> d.object().toString()).toList());
  }

  @Test
  void aRolloutKeepsTheWorkloadAndOnlyItsNamespaceRecomputes() throws Exception {
    startWatch();
    for (String ns : List.of("a", "b")) {
      client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder().withNewMetadata()
          .withName("web").endMetadata().withNewSpec().withTemplate(template(WEB)).endSpec().build()).create();
      client.apps().replicaSets().inNamespace(ns).resource(replicaSet("web-1111")).create();
      client.pods().inNamespace(ns).resource(pod(ns, "web-1111-a", "ReplicaSet", "web-1111", WEB, ns.equals("a")
          ? "10.1.0.1" : "10.2.0.1")).create();
    }
    ClusterSnapshot before = await("two deployments", x -> x.model().workloads().size() == 2
        && x.podIps().size() == 2);
    long rebuilt = index.stats().namespacesRebuilt();
    List<SnapshotChange> seenByB = new CopyOnWriteArrayList<>();
    index.subscribe("b"::equals, seenByB::add);

    client.apps().replicaSets().inNamespace("a").resource(replicaSet("web-2222")).create();
    client.pods().inNamespace("a").resource(pod("a", "web-2222-a", "ReplicaSet", "web-2222", WEB, "10.1.0.2"))
        .create();
    client.pods().inNamespace("a").withName("web-1111-a").delete();
    ClusterSnapshot after = await("rollout", x -> x.status(workload(x, "a/Deployment/web")).podNames()
        .equals(List.of("web-2222-a")));

    assertEquals(List.of("a/Deployment/web", "b/Deployment/web"),
        after.model().workloads().stream().map(Workload::id).toList());
    assertSame(before.model(), after.model(), "a rollout is no policy change");
    assertEquals(before.namespaceVersion("b"), after.namespaceVersion("b"));
    assertTrue(index.stats().namespacesRebuilt() > rebuilt);
    assertTrue(seenByB.isEmpty(), "namespace b heard nothing: " + seenByB);
  }

  private static io.fabric8.kubernetes.api.model.apps.ReplicaSet replicaSet(String name) {
    return new ReplicaSetBuilder().withNewMetadata().withName(name).withOwnerReferences(new OwnerReferenceBuilder()
        .withApiVersion("apps/v1").withKind("Deployment").withName("web").withUid("web").withController(true)
        .build()).endMetadata().withNewSpec().withTemplate(template(WEB)).endSpec().build();
  }

  private static io.fabric8.kubernetes.api.model.Node node(String name, String role, String address) {
    return new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(name)
        .withLabels(Map.of("role", role)).endMetadata().withNewStatus()
        .addNewAddress().withType("InternalIP").withAddress(address).endAddress()
        .addNewAddress().withType("Hostname").withAddress(name).endAddress()
        .addNewImage().withNames("registry/big-image:1").withSizeBytes(1L << 30).endImage().endStatus().build();
  }

  @Test
  void nodesAreWatchedWithClusterNetworkPolicies_soNodesPeersResolveLive() throws Exception {
    client.apiextensions().v1().customResourceDefinitions().resource(crd("policy.networking.k8s.io",
        "clusternetworkpolicies", "ClusterNetworkPolicy", "v1alpha2", false)).create();
    client.nodes().resource(node("cp-1", "control", "10.0.0.5")).create();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
        .create();
    client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder().withNewMetadata()
        .withName("web").endMetadata().withNewSpec().withTemplate(template(WEB)).endSpec().build()).create();
    startWatch();
    assertTrue(watch.watchedKinds().contains("Node"), watch.watchedKinds().toString());
    client.genericKubernetesResources(ctx("policy.networking.k8s.io", "v1alpha2", "ClusterNetworkPolicy",
        "clusternetworkpolicies", false)).resource(new GenericKubernetesResourceBuilder()
            .withApiVersion("policy.networking.k8s.io/v1alpha2").withKind("ClusterNetworkPolicy").withNewMetadata()
            .withName("no-control-plane").endMetadata().addToAdditionalProperties("spec", Map.of("tier", "Admin",
                "priority", 1, "subject", Map.of("namespaces", Map.of()), "egress", List.of(Map.of("name", "cp",
                    "action", "Deny", "to", List.of(Map.of("nodes", Map.of("matchLabels", Map.of("role",
                        "control")))))))).build()).create();
    ClusterSnapshot s = await("the node and the policy", x -> x.model().nodes().size() == 1
        && x.model().clusterNetworkPolicies().size() == 1 && hasWorkload(x, "shop/Deployment/web"));
    assertEquals(List.of("10.0.0.5"), s.model().nodes().get(0).addresses(), "IP addresses only, no host name");
    assertEquals("No Connections", toNode(s, "10.0.0.5"));

    // A node joins with the selected label; another one's label changes: both are seen live.
    client.nodes().resource(node("cp-2", "control", "10.0.0.6")).create();
    s = await("second node", x -> x.model().nodes().size() == 2);
    assertEquals("No Connections", toNode(s, "10.0.0.6"));
    client.nodes().withName("cp-1").edit(n -> node("cp-1", "worker", "10.0.0.5"));
    s = await("relabelled", x -> x.model().nodes().stream().anyMatch(n -> n.labels().get("role").equals("worker")));
    assertEquals("All Connections", toNode(s, "10.0.0.5"));
    client.nodes().withName("cp-2").delete();
    s = await("node gone", x -> x.model().nodes().size() == 1);
    assertEquals("All Connections", toNode(s, "10.0.0.6"));
  }

  private static String toNode(ClusterSnapshot s, String address) {
    io.meshwarden.connectivity.Connectivity c = io.meshwarden.connectivity.ConnectivityAnalyzer.analyze(s.model());
    return c.allowed(new io.meshwarden.connectivity.Peer.WorkloadPeer(workload(s, "shop/Deployment/web")),
        new io.meshwarden.connectivity.Peer.ExternalPeer(io.meshwarden.model.IpRange.parseCidr(address + "/32")))
        .toString();
  }

  @Test
  void nodeStore_keepsLabelsAndAddressesOnly() {
    io.fabric8.kubernetes.api.model.Node t = NodeStore.trimmed(node("n", "control", "fd00::5"));
    assertEquals(Map.of("role", "control"), t.getMetadata().getLabels());
    assertEquals(2, t.getStatus().getAddresses().size());
    assertTrue(t.getStatus().getImages() == null || t.getStatus().getImages().isEmpty());
    assertEquals("Node", t.getKind());
  }

  @Test
  void withoutClusterNetworkPolicies_nodesAreNotWatched() throws Exception {
    startWatch();
    assertTrue(!watch.watchedKinds().contains("Node"), watch.watchedKinds().toString());
  }
}
