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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Kubernetes source of the live index: one fabric8 SharedInformer per watched kind, whose
 * handlers only hand objects to {@link LiveIndex} (which converts, indexes and publishes on its own
 * writer thread). Core kinds are always watched; admin network policies, Gateway API and Istio
 * kinds while their CustomResourceDefinitions exist: an informer on the definitions starts a kind's
 * informer when its definition appears (at start or later) and stops it, forgetting its objects,
 * when the definition goes. Nodes are watched with ClusterNetworkPolicy, whose {@code nodes}
 * peers select them (and not otherwise: a large cluster's Nodes are many and change often).
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

  /** A custom kind being watched: the version read, and one informer per watched namespace (or one). */
  private record Watching(String version, List<String> labels, List<SharedIndexInformer<?>> informers) {}

  private final KubernetesClient client;
  private final LiveIndex index;
  private final Options options;
  private final Consumer<String> log;
  // Guarded by this: the definitions' informer starts and stops custom kinds on its own thread.
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final List<String> watched = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<CustomKind, Watching> custom = new HashMap<>();
  private final java.util.Set<CustomKind> unreadable = new java.util.HashSet<>();
  private boolean startedUp;
  private boolean closed;

  private ClusterWatch(KubernetesClient client, LiveIndex index, Options options, Consumer<String> log) {
    this.client = client;
    this.index = index;
    this.options = options;
    this.log = log;
  }

  /**
   * Starts every informer and returns once each has listed its kind (the index then holds the
   * whole cluster; flush it for the first snapshot).
   *
   * @param log hears, after start, each custom kind whose watch starts or stops because its
   *     definition appeared, changed or went (what start-up noticed is in {@link #notes()})
   * @throws TimeoutException when the initial lists take longer than {@code syncTimeout}
   */
  public static ClusterWatch start(KubernetesClient client, LiveIndex index, Options options, Duration syncTimeout,
      Consumer<String> log) throws TimeoutException, InterruptedException {
    ClusterWatch w = new ClusterWatch(client, index, options, Objects.requireNonNull(log, "log"));
    try {
      w.startAll(syncTimeout);
      w.awaitSynced(syncTimeout);
    } catch (TimeoutException | InterruptedException | RuntimeException e) {
      w.close();
      throw e;
    }
    synchronized (w) {
      w.startedUp = true;
    }
    return w;
  }

  /** The kinds being watched, as {@code Kind} or {@code Kind (group/version)}. */
  public synchronized List<String> watchedKinds() {
    return List.copyOf(watched);
  }

  /** What start-up noticed: custom kinds absent or unreadable. */
  public synchronized List<String> notes() {
    return List.copyOf(notes);
  }

  private synchronized void report(String line) {
    if (startedUp) {
      log.accept(line);
    } else {
      notes.add(line);
    }
  }

  private void startAll(Duration syncTimeout) throws TimeoutException, InterruptedException {
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
    watchDefinitions(syncTimeout);
  }

  /**
   * Starts the informer on CustomResourceDefinitions; its handler starts and stops the custom kinds.
   * Without the right to list and watch definitions, each one is read once instead: its kind is
   * then watched only if the definition exists now.
   */
  private void watchDefinitions(Duration syncTimeout) throws TimeoutException, InterruptedException {
    SharedIndexInformer<CustomResourceDefinition> definitions = client.apiextensions().v1()
        .customResourceDefinitions().runnableInformer(options.resync().toMillis());
    definitions.itemStore(new DefinitionStore());
    definitions.addEventHandler(new Definitions());
    try {
      definitions.start().toCompletableFuture().get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      definitions.close();
      String why = e.getCause() instanceof KubernetesClientException k ? String.valueOf(k.getCode())
          : String.valueOf(e.getCause());
      report("CustomResourceDefinitions cannot be watched (" + why + "): custom kinds are watched only if their"
          + " definitions exist now");
      for (CustomKind k : CUSTOM_KINDS) {
        readDefinitionOnce(k);
      }
      return;
    } catch (TimeoutException e) {
      definitions.close();
      throw new TimeoutException("listing CustomResourceDefinitions took longer than " + syncTimeout.toSeconds()
          + " s");
    }
    synchronized (this) {
      informers.add(definitions);
      watched.add("CustomResourceDefinition");
    }
    // The handler hears the same definitions on its own thread; starting a kind twice is a no-op.
    for (CustomResourceDefinition crd : definitions.getStore().list()) {
      definitionChanged(crd);
    }
  }

  private void readDefinitionOnce(CustomKind k) {
    CustomResourceDefinition crd;
    try {
      crd = client.apiextensions().v1().customResourceDefinitions().withName(k.crdName()).get();
    } catch (KubernetesClientException e) {
      report(k.crdName() + ": cannot read its CustomResourceDefinition (" + e.getCode() + "); not watched");
      return;
    }
    if (crd != null) {
      definitionChanged(crd);
    }
  }

  /** Starts, restarts or stops the kinds a definition serves. */
  private synchronized void definitionChanged(CustomResourceDefinition crd) {
    if (closed || crd.getMetadata() == null) {
      return;
    }
    for (CustomKind k : CUSTOM_KINDS) {
      if (!k.crdName().equals(crd.getMetadata().getName())) {
        continue;
      }
      String version = servedVersion(k, crd);
      Watching current = custom.get(k);
      if (current != null && current.version().equals(version)) {
        continue;
      }
      if (current != null) {
        stop(k, current);
        report("stopped watching " + label(k, current.version()) + ": its CustomResourceDefinition no longer serves "
            + current.version());
      }
      if (version != null) {
        unreadable.remove(k);
        startCustom(k, version);
        if (startedUp) {
          report("watching " + label(k, version) + ": its CustomResourceDefinition appeared");
        }
      } else if (unreadable.add(k)) {
        report(k.crdName() + ": no served version meshwarden reads (" + k.versions() + "); not watched");
      }
    }
  }

  /** The definition is gone, and with it every object of its kinds: the index forgets them. */
  private synchronized void definitionDeleted(CustomResourceDefinition crd) {
    if (closed || crd.getMetadata() == null) {
      return;
    }
    for (CustomKind k : CUSTOM_KINDS) {
      Watching current = custom.get(k);
      if (k.crdName().equals(crd.getMetadata().getName())) {
        unreadable.remove(k);
      }
      if (current != null && k.crdName().equals(crd.getMetadata().getName())) {
        stop(k, current);
        report("stopped watching " + label(k, current.version()) + ": its CustomResourceDefinition was deleted");
      }
    }
  }

  private void startCustom(CustomKind k, String version) {
    ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder().withGroup(k.group())
        .withVersion(version).withKind(k.kind()).withPlural(k.plural()).withNamespaced(k.namespaced()).build();
    String label = label(k, version);
    int before = informers.size();
    if (k.kind().equals("ClusterNetworkPolicy")) {
      watchNodes();
    }
    if (k.namespaced()) {
      namespaced(label, ns -> client.genericKubernetesResources(ctx).inNamespace(ns),
          () -> client.genericKubernetesResources(ctx).inAnyNamespace());
    } else {
      this.<GenericKubernetesResource>cluster(label, () -> client.genericKubernetesResources(ctx));
    }
    custom.put(k, new Watching(version, List.copyOf(watched.subList(before, watched.size())),
        List.copyOf(informers.subList(before, informers.size()))));
  }

  private void stop(CustomKind k, Watching w) {
    custom.remove(k);
    for (SharedIndexInformer<?> informer : w.informers()) {
      informer.close();
      // No delete events come for objects whose kind is gone; their policies must not linger.
      for (Object o : informer.getStore().list()) {
        index.delete((HasMetadata) o);
      }
      informers.remove(informer);
    }
    watched.removeAll(w.labels());
  }

  /**
   * Nodes, for ClusterNetworkPolicy {@code nodes} peers, cached trimmed to labels and addresses.
   * Without the right to list them the watch goes on without Nodes, and says so.
   */
  private void watchNodes() {
    SharedIndexInformer<io.fabric8.kubernetes.api.model.Node> informer = client.nodes()
        .runnableInformer(options.resync().toMillis());
    informer.itemStore(new NodeStore());
    informer.addEventHandler(new Handler<>(index));
    informers.add(informer);
    watched.add("Node");
    informer.start().whenComplete((ok, e) -> {
      if (e != null) {
        nodesUnavailable(informer, e);
      }
    });
  }

  private synchronized void nodesUnavailable(SharedIndexInformer<?> informer, Throwable e) {
    if (closed || !informers.remove(informer)) {
      return;
    }
    informer.close();
    watched.remove("Node");
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    String why = cause instanceof KubernetesClientException k ? String.valueOf(k.getCode()) : String.valueOf(cause);
    report("Nodes cannot be watched (" + why + "): ClusterNetworkPolicy nodes peers select no node");
  }

  private static String label(CustomKind k, String version) {
    return k.kind() + " (" + k.group() + "/" + version + ")";
  }

  /** The version of the custom kind to read: one we understand that its CRD serves, else null. */
  private static String servedVersion(CustomKind k, CustomResourceDefinition crd) {
    if (crd.getSpec() == null || crd.getSpec().getVersions() == null) {
      return null;
    }
    for (String wanted : k.versions()) {
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        if (wanted.equals(v.getName()) && !Boolean.FALSE.equals(v.getServed())) {
          return wanted;
        }
      }
    }
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

  private synchronized <T extends HasMetadata> void inform(String label, Informable<T> source) {
    SharedIndexInformer<T> informer = source.runnableInformer(options.resync().toMillis());
    informer.addEventHandler(new Handler<>(index));
    informer.start();
    informers.add(informer);
    watched.add(label);
  }

  private void awaitSynced(Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<SharedIndexInformer<?>> all;
    List<String> labels;
    synchronized (this) {
      all = List.copyOf(informers);
      labels = List.copyOf(watched);
    }
    for (int i = 0; i < all.size(); i++) {
      // A custom kind whose definition went meanwhile was stopped: nothing to wait for.
      while (!all.get(i).hasSynced() && stillWatched(all.get(i))) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("listing " + labels.get(i) + " took longer than " + timeout.toSeconds() + " s");
        }
        Thread.sleep(10);
      }
    }
  }

  private synchronized boolean stillWatched(SharedIndexInformer<?> informer) {
    return informers.contains(informer);
  }

  @Override
  public void close() {
    List<SharedIndexInformer<?>> all;
    synchronized (this) {
      closed = true;
      all = List.copyOf(informers);
      informers.clear();
      custom.clear();
    }
    all.forEach(SharedIndexInformer::close);
  }

  /**
   * Hears CustomResourceDefinitions. Starting or stopping an informer returns at once (the lists
   * run on the client's threads), so doing it here holds the definitions' events up no longer than
   * queueing would.
   */
  private final class Definitions implements ResourceEventHandler<CustomResourceDefinition> {
    @Override
    public void onAdd(CustomResourceDefinition crd) {
      definitionChanged(crd);
    }

    @Override
    public void onUpdate(CustomResourceDefinition before, CustomResourceDefinition after) {
      definitionChanged(after);
    }

    @Override
    public void onDelete(CustomResourceDefinition crd, boolean finalStateUnknown) {
      definitionDeleted(crd);
    }
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
