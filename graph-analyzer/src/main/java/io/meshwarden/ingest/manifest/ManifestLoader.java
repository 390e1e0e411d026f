package io.meshwarden.ingest.manifest;

import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.MultiNetworkPolicy;
import io.meshwarden.model.NetworkAttachment;
import io.meshwarden.model.Networks;
import io.meshwarden.model.Origin;
import io.meshwarden.model.UserDefinedNetwork;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads Kubernetes manifests (files, directories, or {@code -} for stdin; multi-document YAML,
 * JSON, {@code kind: List}) into a {@link ClusterModel}.
 *
 * <p>Kinds that policy analysis does not use are skipped and counted. A malformed document is an
 * error naming file and line: fatal by default, reported and skipped when {@code keepGoing}.
 * Not thread-safe; use one loader per load.
 */
public final class ManifestLoader {
  /** Read only with multi-network analysis; otherwise skipped like any kind we do not use. */
  private static final Set<String> MULTI_NETWORK_KINDS = Set.of("UserDefinedNetwork", "ClusterUserDefinedNetwork",
      "NetworkAttachmentDefinition", "MultiNetworkPolicy", "VirtualMachine");
  /** KubeVirt's pod that runs a VM: the VM is the workload, so its launcher is not analysed apart. */
  private static final String VIRT_LAUNCHER_PREFIX = "virt-launcher-";

  /** The code of an object declared again with different content (the later one is used). */
  public static final String DECLARED_TWICE = "declared-twice";
  /** The code of input without any network policy: every connection is allowed. */
  public static final String NO_NETWORK_POLICY = "no-network-policy";

  private final boolean keepGoing;
  private final InputStream stdin;
  private final TypedObjects typed = new TypedObjects();
  private final ClusterModel.Builder builder = ClusterModel.builder();
  private final List<Converted.PodObject> pods = new ArrayList<>();
  private final List<Converted.EndpointAddress> endpointAddresses = new ArrayList<>();
  private String defaultNamespace = "default";
  private final Set<String> anpNames = new HashSet<>();
  private final Set<String> cnpNames = new HashSet<>();
  private final List<Diagnostic> errors = new ArrayList<>();
  private final List<Diagnostic> warnings = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  /** Every object read, by kind, namespace and name: where it was first declared and what it said. */
  private final Map<String, Declared> declared = new HashMap<>();
  private final Map<String, Integer> skipped = new TreeMap<>();
  private final List<UserDefinedNetwork> userDefinedNetworks = new ArrayList<>();
  private final List<NetworkAttachment> networkAttachments = new ArrayList<>();
  private final Map<String, MultiNetworkPolicy> multiNetworkPolicies = new LinkedHashMap<>();
  private boolean multiNetwork;
  private ObjectConverter converter = new ObjectConverter(false);
  /** Set while {@link #forEachObject} runs: objects go there instead of into the model. */
  private ObjectSink sink;
  private int objects;
  private int files;

  public ManifestLoader(boolean keepGoing) {
    this(keepGoing, System.in);
  }

  public ManifestLoader(boolean keepGoing, InputStream stdin) {
    this.keepGoing = keepGoing;
    this.stdin = stdin;
  }

  /**
   * Also reads OVN-Kubernetes multi-network objects (UserDefinedNetwork, ClusterUserDefinedNetwork,
   * NetworkAttachmentDefinition, MultiNetworkPolicy) and KubeVirt VirtualMachines, and the
   * secondary networks pods ask for. Off by default: those kinds are then skipped and counted.
   */
  public ManifestLoader multiNetwork(boolean enabled) {
    this.multiNetwork = enabled;
    this.converter = new ObjectConverter(enabled);
    return this;
  }

  /**
   * The namespace of objects that set none, like {@code kubectl apply -n}: manifests such as
   * Bookinfo's leave it to whoever applies them.
   */
  public ManifestLoader defaultNamespace(String namespace) {
    String bad = Labels.checkValue(namespace);
    if (namespace.isEmpty() || bad != null) {
      throw new IllegalArgumentException("invalid namespace \"" + namespace + "\"");
    }
    this.defaultNamespace = namespace;
    return this;
  }

  /**
   * Loads every path (recursively for directories, in sorted order) and returns the model. Input
   * that holds no Kubernetes object at all is an error: an analysis of nothing would read as a
   * clean bill of health.
   */
  public LoadResult load(List<String> paths) throws ManifestException {
    for (String p : paths) {
      if ("-".equals(p)) {
        readStream("<stdin>", new InputStreamReader(stdin, StandardCharsets.UTF_8));
        continue;
      }
      Path path = Path.of(p);
      if (!Files.exists(path)) {
        throw new ManifestException(new Origin(p, 0), "path does not exist");
      }
      if (Files.isDirectory(path)) {
        readDirectory(path);
      } else {
        readNamedFile(path);
      }
    }
    if (objects == 0) {
      throw new ManifestException(new Origin(String.join(", ", paths), 0),
          "no Kubernetes object found (" + files + (files == 1 ? " file" : " files") + " read)");
    }
    return finish();
  }

  /** Reads the manifests under {@code dir}, leaving out Helm charts and tool configuration files. */
  private void readDirectory(Path dir) throws ManifestException {
    List<Path> all = listManifestFiles(dir);
    List<Path> charts = all.stream().filter(NotManifests::isChartFile).map(Path::getParent).toList();
    for (Path chart : charts) {
      notes.add(chart + ": skipped a Helm chart; render it with `helm template` and pass the output");
    }
    for (Path f : all) {
      if (charts.stream().noneMatch(f::startsWith)) {
        readNamedFile(f);
      }
    }
  }

  /** Reads a file unless its name says it is a tool's configuration rather than manifests. */
  private void readNamedFile(Path f) throws ManifestException {
    String note = NotManifests.fileNote(f);
    if (note != null) {
      notes.add(note);
    } else {
      readFile(f);
    }
  }

  /**
   * Reads every path like {@link #load(List)} but hands each object of a kind the reader knows to
   * {@code sink} with its conversion still to run, instead of building a model: the live index
   * feeds on files this way, through the same converters. Unreadable files and documents that are
   * no object are errors as with {@code load}.
   */
  public void forEachObject(List<String> paths, ObjectSink sink) throws ManifestException {
    this.sink = sink;
    try {
      for (String p : paths) {
        if ("-".equals(p)) {
          readStream("<stdin>", new InputStreamReader(stdin, StandardCharsets.UTF_8));
          continue;
        }
        Path path = Path.of(p);
        if (!Files.exists(path)) {
          throw new ManifestException(new Origin(p, 0), "path does not exist");
        }
        if (Files.isDirectory(path)) {
          readDirectory(path);
        } else {
          readNamedFile(path);
        }
      }
    } finally {
      this.sink = null;
    }
  }

  /** Receives objects from {@link #forEachObject}; the namespace is already defaulted. */
  @FunctionalInterface
  public interface ObjectSink {
    void accept(String kind, String namespace, String name, Origin origin, Conversion conversion);
  }

  /** One object's conversion, run by whoever receives it (a bad object throws, naming its origin). */
  @FunctionalInterface
  public interface Conversion {
    Converted convert(Consumer<Diagnostic> warn) throws ManifestException;
  }

  /** Loads one stream (for tests and the live watch's converters). */
  public LoadResult load(String name, Reader reader) throws ManifestException {
    readStream(name, reader);
    return finish();
  }

  private static List<Path> listManifestFiles(Path dir) throws ManifestException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(ManifestLoader::isManifestFile).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      throw new ManifestException(new Origin(dir.toString(), 0), "cannot list directory: " + e.getMessage(), e);
    }
  }

  private static boolean isManifestFile(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  private void readFile(Path f) throws ManifestException {
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      readStream(f.toString(), r);
    } catch (IOException | UncheckedIOException e) {
      fail(new ManifestException(new Origin(f.toString(), 0), "cannot read file: " + e.getMessage(), e));
    }
  }

  private void readStream(String name, Reader reader) throws ManifestException {
    files++;
    try {
      boolean parsed = YamlDocuments.parse(name, reader, this::prepare, doc -> {
        try {
          handOver(doc);
        } catch (ManifestException e) {
          throw new Failure(e);
        }
      });
      if (!parsed) {
        notes.add(name + ": skipped a template (it holds {{ }} and is not YAML); render it first, e.g. with"
            + " `helm template`");
      }
    } catch (Failure f) {
      fail(f.exception);
    } catch (ManifestException e) {
      fail(e);
    }
  }

  /** Carries a located error out of the document callback. */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ManifestException exception;

    Failure(ManifestException e) {
      super(e.getMessage(), e, false, false);
      this.exception = e;
    }
  }

  private void fail(ManifestException e) throws ManifestException {
    if (!keepGoing) {
      throw e;
    }
    errors.add(e.diagnostic());
  }

  /**
   * A document as read, and, for a plain object, what {@link #object} will need: its identity, a
   * digest of its content and its conversion with the warnings that gave, or null.
   */
  private record Prepared(Object body, Origin origin, Ready ready) {}

  private record Ready(String kind, String namespace, String name, int content, Converted converted,
      List<Diagnostic> warnings) {}

  /**
   * Runs the part of {@link #document} that depends on the document alone, as soon as the document
   * is read: the conversion of a plain object of a kind the converter reads. A file's documents
   * wait until the whole file has parsed (a syntax error anywhere hands over nothing), and this way
   * what waits is the converted object, not its tree. Anything unusual (a list, a multi-network
   * kind, an object the converter refuses) is left to {@link #document}, so that every error and
   * warning is raised there, in the stream's order.
   */
  private Prepared prepare(YamlDocuments.Document doc) {
    Object body = doc.body();
    Origin origin = doc.origin();
    Prepared raw = new Prepared(body, origin, null);
    if (sink != null || !(body instanceof Map<?, ?>)) {
      return raw;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) body;
    String kind = Fields.str(map, "kind");
    if (kind == null || kind.isEmpty() || (kind.endsWith("List") && map.get("items") instanceof List<?>)
        || MULTI_NETWORK_KINDS.contains(kind)
        || (!ObjectConverter.USED_KINDS.contains(kind) && !ObjectConverter.MESH_KINDS.contains(kind))) {
      return raw;
    }
    Map<String, Object> meta = Fields.map(map, "metadata");
    String name = Fields.str(meta, "name");
    if (name == null || name.isEmpty() || ("Pod".equals(kind) && name.startsWith(VIRT_LAUNCHER_PREFIX))) {
      return raw;
    }
    String ns = Fields.str(meta, "namespace");
    if (ns == null || ns.isEmpty()) {
      ns = defaultNamespace;
    }
    int content = map.hashCode();
    List<Diagnostic> said = new ArrayList<>();
    try {
      Converted c = converter.convertDocument(kind, map, ns, name, origin, said::add);
      return new Prepared(null, origin, new Ready(kind, ns, name, content, c, said));
    } catch (ManifestException | RuntimeException e) {
      return raw;
    }
  }

  /** The stateful rest of {@link #document}, in the stream's order. */
  private void handOver(Prepared p) throws ManifestException {
    Ready r = p.ready();
    if (r == null) {
      document(p.body(), p.origin());
      return;
    }
    objects++;
    if (firstDeclaration(r.kind(), r.namespace(), r.name(), r.content(), p.origin())) {
      warnings.addAll(r.warnings());
      collect(r.converted(), p.origin());
    }
  }

  private void document(Object body, Origin origin) throws ManifestException {
    if (body == null) {
      return;
    }
    if (!(body instanceof Map<?, ?>)) {
      warnings.add(Diagnostic.warning("not-an-object", origin, "skipped a document that is not a Kubernetes object (a "
          + (body instanceof List<?> ? "list" : "scalar") + " at top level)"));
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) body;
    String kind = Fields.str(map, "kind");
    if ((kind == null || kind.isEmpty()) && !Fields.has(map, "apiVersion")) {
      // Helm values, CI and tool configuration: YAML, but no Kubernetes object.
      notes.add(origin + ": skipped a YAML document that is not a Kubernetes object (it has no kind"
          + " and no apiVersion)");
      return;
    }
    if (kind == null || kind.isEmpty()) {
      throw new ManifestException(origin, "object kind is missing in the document (not a Kubernetes object)");
    }
    if (kind.endsWith("List") && map.get("items") instanceof List<?> items) {
      // Items of a typed list (PodList) may leave out their kind.
      String itemKind = kind.length() > 4 ? kind.substring(0, kind.length() - 4) : null;
      for (Object item : items) {
        Origin itemOrigin = new Origin(origin.file(), Fields.line(item, origin.line()));
        if (itemKind != null && item instanceof Node n && !n.containsKey("kind")) {
          n.put("kind", itemKind);
        }
        try {
          document(item, itemOrigin);
        } catch (ManifestException e) {
          fail(e);
        }
      }
      return;
    }
    objects++;
    object(kind, map, origin);
  }

  private void object(String kind, Map<String, Object> doc, Origin origin) throws ManifestException {
    boolean networkKind = MULTI_NETWORK_KINDS.contains(kind);
    if (!ObjectConverter.USED_KINDS.contains(kind) && !ObjectConverter.MESH_KINDS.contains(kind)
        && !(multiNetwork && networkKind)) {
      skipped.merge(kind, 1, Integer::sum);
      return;
    }
    Map<String, Object> meta = Fields.map(doc, "metadata");
    String name = Fields.str(meta, "name");
    if (name == null || name.isEmpty()) {
      throw new ManifestException(origin, kind + " without metadata.name");
    }
    String ns = Fields.str(meta, "namespace");
    if (ns == null || ns.isEmpty()) {
      ns = defaultNamespace;
    }
    if (sink != null) {
      String namespace = ns;
      ObjectConverter c = converter;
      sink.accept(kind, namespace, name, origin, warn -> c.convertDocument(kind, doc, namespace, name, origin, warn));
      return;
    }
    if (!firstDeclaration(kind, ns, name, doc.hashCode(), origin)) {
      return;
    }
    if (networkKind) {
      networkObject(kind, doc, ns, name, origin);
      return;
    }
    if ("Pod".equals(kind) && name.startsWith(VIRT_LAUNCHER_PREFIX)) {
      warnings.add(Diagnostic.warning("virt-launcher-pod", origin, "skipped virt-launcher pod " + ns + "/" + name
          + ": it runs a VirtualMachine, which is analysed as the workload instead"));
      return;
    }
    collect(converter.convertDocument(kind, doc, ns, name, origin, warnings::add), origin);
  }

  /** Adds one converted object; the checks that need other objects of the same load happen here. */
  private void collect(Converted c, Origin origin) throws ManifestException {
    if (c instanceof Converted.NamespaceObject n) {
      builder.namespace(n.namespace());
    } else if (c instanceof Converted.EndpointsObject e) {
      endpointAddresses.addAll(e.addresses());
    } else if (c instanceof Converted.PodObject p) {
      pods.add(p);
    } else if (c instanceof Converted.ControllerObject w) {
      addWorkload(w.workload());
    } else if (c instanceof Converted.ServiceObject s) {
      builder.service(s.service());
    } else if (c instanceof Converted.ServiceAccountObject sa) {
      builder.serviceAccount(sa.serviceAccount());
    } else if (c instanceof Converted.IngressObject i) {
      builder.ingressRoute(i.route());
    } else if (c instanceof Converted.NetworkPolicyObject np) {
      builder.networkPolicy(np.policy());
    } else if (c instanceof Converted.AdminPolicyObject a) {
      adminPolicy(a.policy(), origin);
    } else if (c instanceof Converted.ClusterPolicyObject cnp) {
      if (!cnpNames.add(cnp.policy().name())) {
        throw new ManifestException(origin, "two ClusterNetworkPolicies with the same name \"" + cnp.policy().name()
            + "\"");
      }
      builder.clusterNetworkPolicy(cnp.policy());
    } else if (c instanceof Converted.NodeObject n) {
      builder.node(n.node());
    } else if (c instanceof Converted.MeshObject m) {
      builder.meshResource(m.resource());
    } else if (c instanceof Converted.Unused u) {
      skipped.merge(u.kind(), 1, Integer::sum);
    }
  }

  /** OVN-Kubernetes multi-network objects and KubeVirt VirtualMachines (files only, for now). */
  private void networkObject(String kind, Map<String, Object> doc, String ns, String name, Origin origin)
      throws ManifestException {
    switch (kind) {
      case "UserDefinedNetwork" -> userDefinedNetworks.add(UserDefinedNetworkConverter.namespaced(doc, ns, name, origin));
      case "ClusterUserDefinedNetwork" -> userDefinedNetworks.add(
          UserDefinedNetworkConverter.clusterScoped(doc, name, origin));
      case "NetworkAttachmentDefinition" -> networkAttachments.add(MultiNetworkConverter.attachment(ns, name, origin));
      case "MultiNetworkPolicy" -> {
        MultiNetworkPolicy p = MultiNetworkConverter.policy(doc, ns, name, typed, origin, warnings::add);
        MultiNetworkPolicy old = multiNetworkPolicies.putIfAbsent(p.qualifiedName(), p);
        if (old != null) {
          throw new ManifestException(origin, "MultiNetworkPolicy " + p.qualifiedName() + " is also defined at "
              + old.policy().origin() + "; only one object of a kind may have a given name");
        }
      }
      case "VirtualMachine" -> addWorkload(MultiNetworkConverter.virtualMachine(doc, ns, name, origin));
      default -> throw new IllegalStateException("not a multi-network kind: " + kind);
    }
  }

  private void addWorkload(Workload w) {
    builder.workload(w);
  }

  /** Where an object was first declared, and a digest of what it said there. */
  private record Declared(Origin origin, int content) {}

  /**
   * Whether this is the first declaration of the object. The same object declared again with the
   * same content is common ({@code -f app -f app-policies} with the Namespace in both) and is read
   * once. With different content, the later one is used and a warning names both places (a
   * Namespace too: kubectl would apply the later labels over the earlier), except where the
   * difference would describe a cluster that cannot exist: two NetworkPolicies of one name.
   * Content is compared by its hash, so memory stays one entry per object.
   */
  private boolean firstDeclaration(String kind, String ns, String name, int content, Origin origin)
      throws ManifestException {
    boolean clusterScoped = kind.equals("Namespace") || kind.equals("Node") || kind.startsWith("Cluster")
        || kind.endsWith("AdminNetworkPolicy");
    String key = kind + "/" + (clusterScoped ? "" : ns) + "/" + name;
    Declared now = new Declared(origin, content);
    Declared first = declared.putIfAbsent(key, now);
    if (first == null) {
      return true;
    }
    if (first.content() == now.content()) {
      return false;
    }
    if (kind.equals("NetworkPolicy")) {
      throw new ManifestException(origin, "two different NetworkPolicies named " + ns + "/" + name + ": at "
          + first.origin() + " and here; a namespace holds one object of a name");
    }
    if (kind.endsWith("AdminNetworkPolicy") || kind.equals("MultiNetworkPolicy") || kind.equals("ClusterNetworkPolicy")) {
      return true; // their own checks refuse two of a name
    }
    declared.put(key, now);
    warnings.add(Diagnostic.warning(DECLARED_TWICE, origin, kind + " " + (clusterScoped ? name : ns + "/" + name)
        + " is also declared at " + first.origin() + " with different content; the later declaration is used"));
    return true;
  }

  private void adminPolicy(AdminNetworkPolicy p, Origin origin) throws ManifestException {
    if (p.baseline()) {
      if (!builder.baselines().isEmpty()) {
        throw new ManifestException(origin,
            "only one baseline admin network policy with metadata.name=default can be created in the cluster");
      }
    } else if (!anpNames.add(p.name())) {
      throw new ManifestException(origin, "two AdminNetworkPolicies with the same name \"" + p.name() + "\"");
    }
    builder.adminNetworkPolicy(p);
  }

  private LoadResult finish() throws ManifestException {
    List<OwnerLabelCheck.Gap> gaps = mergePods();
    EndpointAddresses.attach(endpointAddresses, builder.workloads(), builder.services()).forEach(builder::workload);
    if (multiNetwork) {
      builder.networks(new Networks(true, PrimaryNetworks.resolve(userDefinedNetworks, builder.namespaces(),
          warnings::add), networkAttachments, List.copyOf(multiNetworkPolicies.values())));
    }
    ClusterModel model = builder.build();
    ManifestException split = OwnerLabelCheck.check(model, gaps);
    if (split != null) {
      throw split;
    }
    checkPriorities(model);
    if (model.networkPolicies().isEmpty() && !model.hasClusterPolicy()
        && model.networks().multiNetworkPolicies().isEmpty()) {
      warnings.add(Diagnostic.warning(NO_NETWORK_POLICY,
          "no relevant Kubernetes network policy resources found: every connection is allowed"));
    }
    return new LoadResult(model, errors, warnings, notes, skipped, objects, files);
  }

  private static void checkPriorities(ClusterModel model) throws ManifestException {
    Map<Integer, AdminNetworkPolicy> byPriority = new HashMap<>();
    for (AdminNetworkPolicy p : model.adminNetworkPolicies()) {
      AdminNetworkPolicy other = byPriority.putIfAbsent(p.priority(), p);
      if (other != null) {
        throw new ManifestException(p.origin(), "AdminNetworkPolicies " + other.name() + " and " + p.name()
            + " have the same priority " + p.priority() + "; two policies are considered to be conflicting if they"
            + " are assigned the same priority");
      }
    }
  }

  /**
   * Pods of one owner become one workload with the first pod's labels. Owners whose pods disagree
   * on labels are returned, to be checked against the policies once all are read.
   */
  private List<OwnerLabelCheck.Gap> mergePods() {
    Map<String, List<Converted.PodObject>> byOwner = new LinkedHashMap<>();
    for (Converted.PodObject p : pods) {
      byOwner.computeIfAbsent(p.namespace() + "/" + p.ownerKind() + "/" + p.ownerName(), k -> new ArrayList<>())
          .add(p);
    }
    pods.clear();
    Set<String> controllerIds = new HashSet<>();
    for (Workload w : builder.workloads()) {
      controllerIds.add(w.id());
    }
    List<OwnerLabelCheck.Gap> gaps = new ArrayList<>();
    for (List<Converted.PodObject> group : byOwner.values()) {
      Converted.PodObject first = group.get(0);
      List<String> ips = new ArrayList<>();
      for (Converted.PodObject p : group) {
        if (!p.labels().equals(first.labels())) {
          gaps.add(new OwnerLabelCheck.Gap(first.namespace(), first.ownerName(), first.podName(), first.labels(),
              p.podName(), p.labels(), p.origin()));
        }
        ips.addAll(p.ips());
      }
      Workload w = new Workload(first.namespace(), first.ownerKind(), first.ownerName(), first.labels(),
          first.containers(), first.serviceAccount(), first.hostNetwork(), group.size(), ips, first.origin(),
          first.networks());
      if (!controllerIds.contains(w.id())) {
        addWorkload(w);
      }
    }
    return gaps;
  }
}
