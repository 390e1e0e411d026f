package io.meshwarden.watch;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshwarden.index.LiveIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Kubernetes source of the live index: one fabric8 SharedInformer per watched kind, whose
 * handlers only hand objects to {@link LiveIndex} (which converts, indexes and publishes on its own
 * writer thread). Core kinds are always watched; admin network policies, Gateway API and Istio
 * kinds only when their CustomResourceDefinitions exist at start.
 */
public final class ClusterWatch implements AutoCloseable {
  /**
   * @param namespaces watch namespaced kinds only there (empty: everywhere); Namespaces and
   *     cluster-scoped policies are watched in any case, since namespace selectors read them
   * @param resync how often informers replay their cache (zero: never); an unchanged object
   *     changes nothing in the index
   */
  public record Options(List<String> namespaces, Duration resync) {
    public Options {
      namespaces = List.copyOf(namespaces);
      Objects.requireNonNull(resync, "resync");
    }
  }

  /** A kind served by a CustomResourceDefinition, read as a generic resource. */
  record CustomKind(String group, String plural, String kind, boolean namespaced, List<String> versions) {
    String crdName() {
      return plural + "." + group;
    }
  }

  /** The custom kinds the index reads, with the versions it understands, preferred first. */
  static final List<CustomKind> CUSTOM_KINDS = List.of(
      new CustomKind("policy.networking.k8s.io", "adminnetworkpolicies", "AdminNetworkPolicy", false,
          List.of("v1alpha1")),
      new CustomKind("policy.networking.k8s.io", "baselineadminnetworkpolicies", "BaselineAdminNetworkPolicy", false,
          List.of("v1alpha1")),
      new CustomKind("policy.networking.k8s.io", "clusternetworkpolicies", "ClusterNetworkPolicy", false,
          List.of("v1alpha2")),
      new CustomKind("gateway.networking.k8s.io", "gatewayclasses", "GatewayClass", false, List.of("v1", "v1beta1")),
      new CustomKind("gateway.networking.k8s.io", "gateways", "Gateway", true, List.of("v1", "v1beta1")),
      new CustomKind("gateway.networking.k8s.io", "httproutes", "HTTPRoute", true, List.of("v1", "v1beta1")),
      new CustomKind("gateway.networking.k8s.io", "grpcroutes", "GRPCRoute", true, List.of("v1", "v1alpha2")),
      new CustomKind("gateway.networking.k8s.io", "tcproutes", "TCPRoute", true, List.of("v1alpha2")),
      new CustomKind("gateway.networking.k8s.io", "tlsroutes", "TLSRoute", true, List.of("v1alpha2", "v1alpha3")),
      new CustomKind("gateway.networking.k8s.io", "referencegrants", "ReferenceGrant", true,
          List.of("v1beta1", "v1alpha2")),
      new CustomKind("security.istio.io", "authorizationpolicies", "AuthorizationPolicy", true,
          List.of("v1", "v1beta1")),
      new CustomKind("security.istio.io", "peerauthentications", "PeerAuthentication", true,
          List.of("v1", "v1beta1")),
      new CustomKind("networking.istio.io", "gateways", "Gateway", true, List.of("v1", "v1beta1")),
      new CustomKind("networking.istio.io", "virtualservices", "VirtualService", true, List.of("v1", "v1beta1")));

  private static final ResourceDefinitionContext ENDPOINT_SLICES = new ResourceDefinitionContext.Builder()
      .withGroup("discovery.k8s.io").withVersion("v1").withKind("EndpointSlice").withPlural("endpointslices")
      .withNamespaced(true).build();

  private final KubernetesClient client;
  private final LiveIndex index;
  private final Options options;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final List<String> watched = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private ClusterWatch(KubernetesClient client, LiveIndex index, Options options) {
    this.client = client;
    this.index = index;
    this.options = options;
  }

  /**
   * Starts every informer and returns once each has listed its kind (the index then holds the
   * whole cluster; flush it for the first snapshot).
   *
   * @throws TimeoutException when the initial lists take longer than {@code syncTimeout}
   */
  public static ClusterWatch start(KubernetesClient client, LiveIndex index, Options options, Duration syncTimeout)
      throws TimeoutException, InterruptedException {
    ClusterWatch w = new ClusterWatch(client, index, options);
    try {
      w.startAll();
      w.awaitSynced(syncTimeout);
    } catch (TimeoutException | InterruptedException | RuntimeException e) {
      w.close();
      throw e;
    }
    return w;
  }

  /** The kinds being watched, as {@code Kind} or {@code Kind (group/version)}. */
  public List<String> watchedKinds() {
    return List.copyOf(watched);
  }

  /** What start-up noticed: custom kinds absent or unreadable. */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  private void startAll() {
    cluster("Namespace", () -> client.namespaces());
    namespaced("Pod", ns -> client.pods().inNamespace(ns), () -> client.pods().inAnyNamespace());
    namespaced("ReplicaSet", ns -> client.apps().replicaSets().inNamespace(ns),
        () -> client.apps().replicaSets().inAnyNamespace());
    namespaced("Deployment", ns -> client.apps().deployments().inNamespace(ns),
        () -> client.apps().deployments().inAnyNamespace());
    namespaced("StatefulSet", ns -> client.apps().statefulSets().inNamespace(ns),
        () -> client.apps().statefulSets().inAnyNamespace());
    namespaced("DaemonSet", ns -> client.apps().daemonSets().inNamespace(ns),
        () -> client.apps().daemonSets().inAnyNamespace());
    namespaced("Job", ns -> client.batch().v1().jobs().inNamespace(ns),
        () -> client.batch().v1().jobs().inAnyNamespace());
    namespaced("CronJob", ns -> client.batch().v1().cronjobs().inNamespace(ns),
        () -> client.batch().v1().cronjobs().inAnyNamespace());
    namespaced("Service", ns -> client.services().inNamespace(ns), () -> client.services().inAnyNamespace());
    namespaced("ServiceAccount", ns -> client.serviceAccounts().inNamespace(ns),
        () -> client.serviceAccounts().inAnyNamespace());
    namespaced("NetworkPolicy", ns -> client.network().v1().networkPolicies().inNamespace(ns),
        () -> client.network().v1().networkPolicies().inAnyNamespace());
    namespaced("Ingress", ns -> client.network().v1().ingresses().inNamespace(ns),
        () -> client.network().v1().ingresses().inAnyNamespace());
    // No typed model for EndpointSlice in the core's converters: read it as plain data.
    namespaced("EndpointSlice", ns -> client.genericKubernetesResources(ENDPOINT_SLICES).inNamespace(ns),
        () -> client.genericKubernetesResources(ENDPOINT_SLICES).inAnyNamespace());
    for (CustomKind k : CUSTOM_KINDS) {
      String version = servedVersion(k);
      if (version == null) {
        continue;
      }
      ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder().withGroup(k.group())
          .withVersion(version).withKind(k.kind()).withPlural(k.plural()).withNamespaced(k.namespaced()).build();
      String label = k.kind() + " (" + k.group() + "/" + version + ")";
      if (k.namespaced()) {
        namespaced(label, ns -> client.genericKubernetesResources(ctx).inNamespace(ns),
            () -> client.genericKubernetesResources(ctx).inAnyNamespace());
      } else {
        this.<GenericKubernetesResource>cluster(label, () -> client.genericKubernetesResources(ctx));
      }
    }
  }

  /** The version of the custom kind to read: one we understand that its CRD serves, else null. */
  private String servedVersion(CustomKind k) {
    CustomResourceDefinition crd;
    try {
      crd = client.apiextensions().v1().customResourceDefinitions().withName(k.crdName()).get();
    } catch (KubernetesClientException e) {
      notes.add(k.crdName() + ": cannot read its CustomResourceDefinition (" + e.getCode() + "); not watched");
      return null;
    }
    if (crd == null || crd.getSpec() == null || crd.getSpec().getVersions() == null) {
      return null;
    }
    for (String wanted : k.versions()) {
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        if (wanted.equals(v.getName()) && !Boolean.FALSE.equals(v.getServed())) {
          return wanted;
        }
      }
    }
    notes.add(k.crdName() + ": no served version meshwarden reads (" + k.versions() + "); not watched");
    return null;
  }

  private <T extends HasMetadata> void namespaced(String label, Function<String, Informable<T>> inNamespace,
      Supplier<Informable<T>> everywhere) {
    if (options.namespaces().isEmpty()) {
      inform(label, everywhere.get());
    } else {
      for (String ns : options.namespaces()) {
        inform(label + " in " + ns, inNamespace.apply(ns));
      }
    }
  }

  private <T extends HasMetadata> void cluster(String label, Supplier<Informable<T>> all) {
    inform(label, all.get());
  }

  private <T extends HasMetadata> void inform(String label, Informable<T> source) {
    SharedIndexInformer<T> informer = source.runnableInformer(options.resync().toMillis());
    informer.addEventHandler(new Handler<>(index));
    informer.start();
    informers.add(informer);
    watched.add(label);
  }

  private void awaitSynced(Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < informers.size(); i++) {
      while (!informers.get(i).hasSynced()) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("listing " + watched.get(i) + " took longer than " + timeout.toSeconds() + " s");
        }
        Thread.sleep(10);
      }
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
  }

  /** Hands each event to the index, which queues it; nothing else happens on the informer's thread. */
  private static final class Handler<T extends HasMetadata> implements ResourceEventHandler<T> {
    private final LiveIndex index;

    Handler(LiveIndex index) {
      this.index = index;
    }

    @Override
    public void onAdd(T object) {
      index.apply(object);
    }

    @Override
    public void onUpdate(T before, T after) {
      index.apply(after);
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
      index.delete(object);
    }
  }
}
