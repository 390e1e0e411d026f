package io.meshwarden.mode;

import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.model.Namespace;
import io.meshwarden.model.Workload;
import io.meshwarden.proposal.Proposal;
import io.meshwarden.proposal.Proposals;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.ServingMode;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.store.Store;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.meshwarden.verdict.DryRunVerdicts;
import io.meshwarden.verdict.ServedNamespace;
import io.meshwarden.verdict.ServedPolicies;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one writer of what each namespace is served: its mode (the Namespace label
 * {@value #LABEL}, or the API, which wins until the label changes again; default observe), the
 * proposal version its dry-run is pinned to, the approved proposal version when enforcing, and
 * the newest proposal. Each change of those, of a proposal or of the callers' addresses publishes
 * an immutable {@link Serving} (with the {@link ServedNamespace} the live dry-run reads) and tells
 * listeners which namespaces changed. Writes are serialized on this object; reads are lock-free.
 *
 * <p>The pin: moving a namespace to dry-run pins a proposal version (the one asked for, else the
 * newest with a policy at that moment; a namespace with none yet is pinned to the first one that
 * comes). Dry-run serves the pinned version as shadow rules, so the live dry-run judges traffic
 * against what the user looked at: a call first seen after the pin (an intruder) is would-deny
 * there, even though newer proposals, which keep being computed, learn it. Re-pinning is another
 * dry-run request. A restart keeps the pin (the store's {@code dryrun_pins}).
 *
 * <p>The approval gate: enforcing approves the pinned version unless another is named (the pin
 * counts only while the namespace is dry-run or enforced: one left from before observe was not
 * watched since); a named version must be the pin or the newest, and one that was never dry-run on
 * live traffic is refused with {@code not_dry_run} unless a reason is given. Approval is refused while the live
 * dry-run of the version counts would-deny flows, unless a reason is given (the override is audited
 * with the count). In enforce the shadow rules are the newest proposal, not the pin: the pin was
 * what got approved, so as shadow it would only repeat the rules, while the newest shows what the
 * next approval would change. Every change is written to the store's audit log and logged as one
 * JSON line.
 */
public final class NamespaceModes implements ServedPolicies {
  /** The Namespace label that sets the mode (GitOps). */
  public static final String LABEL = "meshwarden.io/mode";
  /** The actor of changes the Namespace label makes. */
  static final String LABEL_ACTOR = "namespace-label";

  /**
   * What a namespace is served now and why.
   *
   * @param source where the mode comes from: {@code api}, {@code label} or {@code default}
   * @param requested the mode asked for; differs from {@code mode} when enforce has no approved version
   * @param note why {@code mode} differs from {@code requested}, or null
   * @param approved the approved proposal (enforce only), or null
   * @param pinned the proposal version the dry-run is pinned to (whatever the mode; null: none yet)
   * @param layers per workload id ({@code ns/Kind/name}) with a policy: what its sidecars get
   */
  public record Serving(String namespace, ServingMode mode, String source, ServingMode requested, String note,
      Proposal newest, Proposal approved, Store.Pin pin, Proposal pinned, Map<String, PolicyLayers> layers,
      ServedNamespace served) {
    public Serving {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(mode, "mode");
      layers = Map.copyOf(layers);
    }

    /** The layers of a workload ({@code ns/Kind/name}); observe when it has none. */
    public PolicyLayers layersOf(String workloadId) {
      return layers.getOrDefault(workloadId, PolicyLayers.observe());
    }
  }

  /** What a mode request did. */
  public sealed interface Outcome permits Changed, Refused {}

  /**
   * Accepted (also when nothing changed); for enforce, what the live dry-run of the version had
   * judged and would have denied (judged 0: the version was never dry-run on live traffic).
   */
  public record Changed(Serving serving, long judged, long wouldDeny, boolean overridden) implements Outcome {}

  /** Refused: {@code status} 400 (bad request) or 409 (the gate), with a code and a message for the user. */
  public record Refused(int status, String code, String message) implements Outcome {}

  private final Supplier<ClusterSnapshot> cluster;
  private final Proposals proposals;
  private final Store store;
  private final DryRunVerdicts dryRun;
  private final TranslatorOptions options;
  private final Clock clock;
  private final Consumer<String> log;
  private final AtomicReference<Map<String, Serving>> published = new AtomicReference<>(Map.of());
  private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();
  /** Workloads a proxyless gRPC server connected for: their published resources are the gRPC form. */
  private final Set<String> grpcWorkloads = ConcurrentHashMap.newKeySet();
  // Guarded by this.
  private final Map<String, Store.ApiMode> apiModes;
  private final Map<String, Optional<Store.Approval>> approvals = new HashMap<>();
  private final Map<String, Store.Pin> pins;
  /**
   * Namespace → the last two older versions read back from the store for it (the pinned and the
   * approved one), so a refresh (each index publication) does not read and decode them again.
   */
  private final Map<String, List<Proposal>> older = new HashMap<>();
  private final Map<String, ServingMode> lastRequested = new HashMap<>();

  public NamespaceModes(Supplier<ClusterSnapshot> cluster, Proposals proposals, Store store, DryRunVerdicts dryRun,
      TranslatorOptions options, Clock clock, Consumer<String> log) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.proposals = Objects.requireNonNull(proposals, "proposals");
    this.store = Objects.requireNonNull(store, "store");
    this.dryRun = Objects.requireNonNull(dryRun, "dryRun");
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.log = Objects.requireNonNull(log, "log");
    this.apiModes = new HashMap<>(store.modes());
    this.pins = new HashMap<>(store.pins());
  }

  /** Calls {@code listener} with the namespaces whose served state changed (on the writing thread). */
  public void onServedChange(Consumer<Set<String>> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Optional<ServedNamespace> namespace(String namespace) {
    return serving(namespace).map(Serving::served);
  }

  /** What the namespace is served, if it is known. */
  public Optional<Serving> serving(String namespace) {
    return Optional.ofNullable(published.get().get(namespace));
  }

  /** Every known namespace. */
  public Map<String, Serving> all() {
    return published.get();
  }

  /** A proxyless gRPC server of the workload connected: publish its gRPC form from now on. */
  void usesGrpc(Workload w) {
    if (grpcWorkloads.add(w.id())) {
      refresh(List.of(w.namespace()));
    }
  }

  /** Recomputes every namespace of the cluster; returns those whose served state changed. */
  public synchronized Set<String> refreshAll() {
    ClusterSnapshot snap = cluster.get();
    Set<String> all = new TreeSet<>(snap.model().namespaces().keySet());
    snap.model().workloads().forEach(w -> all.add(w.namespace()));
    all.addAll(proposals.all().keySet());
    Set<String> changed = refresh(all, snap);
    Map<String, Serving> next = new TreeMap<>(published.get());
    if (next.keySet().retainAll(all)) {
      published.set(Map.copyOf(next));
    }
    return changed;
  }

  /** Recomputes these namespaces; returns those whose served state changed. */
  public synchronized Set<String> refresh(Collection<String> namespaces) {
    return refresh(namespaces, cluster.get());
  }

  private Set<String> refresh(Collection<String> namespaces, ClusterSnapshot snap) {
    Map<String, Serving> next = new TreeMap<>(published.get());
    Set<String> changed = new TreeSet<>();
    Map<String, List<String>> ips = podIps(snap);
    for (String ns : namespaces) {
      Serving s = compute(ns, snap, ips);
      if (!s.equals(next.get(ns))) {
        next.put(ns, s);
        changed.add(ns);
      }
    }
    if (!changed.isEmpty()) {
      published.set(Map.copyOf(next));
      Set<String> done = Set.copyOf(changed);
      listeners.forEach(l -> l.accept(done));
    }
    return changed;
  }

  /**
   * A user's request to change the namespace's mode (the API's one write).
   *
   * @param version for dry-run the proposal version to pin (null: the newest); for enforce the
   *     version to approve (null: the pinned one); ignored for observe
   * @param reason why; for enforce also the override of a refusing gate
   */
  public synchronized Outcome request(String namespace, String modeText, String version, String reason,
      String actor) {
    Optional<ServingMode> parsed = ServingMode.parse(modeText);
    if (modeText == null || parsed.isEmpty()) {
      return new Refused(400, "unknown_mode", "unknown mode " + (modeText == null ? "(missing)" : "\"" + modeText + "\"")
          + " (want observe, dry-run or enforce)");
    }
    ServingMode mode = parsed.get();
    ClusterSnapshot snap = cluster.get();
    String why = reason == null ? "" : reason.strip();
    String named = version == null || version.isBlank() ? null : version.strip();
    long wouldDeny = 0;
    long judged = 0;
    boolean overridden = false;
    String recorded = null;
    Optional<Proposal> newest = proposals.newest(namespace);
    if (named != null && mode != ServingMode.OBSERVE && proposals.version(namespace, named).isEmpty()) {
      return new Refused(400, "unknown_version", "namespace " + namespace + " has no proposal version \"" + named
          + "\"" + newest.map(p -> " (the newest is " + p.version() + ")").orElse(""));
    }
    Store.Pin pin = pins.get(namespace);
    if (mode == ServingMode.DRY_RUN) {
      String target = named != null ? named : newest.filter(NamespaceModes::hasPolicy).map(Proposal::version)
          .orElse(null);
      if (target != null) {
        // Every dry-run request is a pin of its own in the audit log, also of the same version.
        pin(new Store.Pin(namespace, target, actor, why.isEmpty() ? "dry-run requested" : why, clock.millis()));
      }
      recorded = target;
    } else if (mode == ServingMode.ENFORCE) {
      // The pin is the default only while it is what the namespace is dry-run (or enforced) with:
      // a pin left from a dry-run before the namespace went back to observe was not watched since.
      Serving now = published.get().get(namespace);
      boolean live = now != null && now.mode() != ServingMode.OBSERVE;
      String target = named != null ? named : pin == null || !live ? null : pin.version();
      if (target == null) {
        return new Refused(400, "missing_version", "enforce needs \"approvedVersion\" (the proposal version you "
            + "reviewed, GET /api/v1/namespaces/" + namespace + "/proposal), or a dry-run first, which pins one");
      }
      boolean pinned = live && pin != null && pin.version().equals(target);
      boolean isNewest = newest.isPresent() && newest.get().version().equals(target);
      if (!pinned && !isNewest) {
        return new Refused(400, "stale_version", "proposal version " + target + " of namespace " + namespace
            + " is neither the dry-run's pinned version" + (pin == null ? "" : " (" + pin.version() + ")")
            + " nor the newest" + newest.map(p -> " (" + p.version() + ")").orElse("") + "; dry-run it first");
      }
      wouldDeny = dryRun.wouldDeny(namespace, target);
      judged = dryRun.judged(namespace, target);
      if (!pinned && judged == 0) {
        if (why.isEmpty()) {
          return new Refused(409, "not_dry_run", "proposal version " + target + " of namespace " + namespace
              + " was never dry-run on live traffic" + (pin == null ? "" : " (the dry-run is pinned to "
              + pin.version() + ")") + "; POST {\"mode\":\"dry-run\",\"version\":\"" + target + "\"} first, or give"
              + " a \"reason\" to override");
        }
        overridden = true;
      }
      if (wouldDeny > 0) {
        if (why.isEmpty()) {
          return new Refused(409, "gate_refused", "the live dry-run of version " + target + " in namespace "
              + namespace + " shows " + wouldDeny + " would-deny flow(s) (GET /api/v1/namespaces/" + namespace
              + "/dryrun); fix the proposal, or give a \"reason\" to override");
        }
        overridden = true;
      }
      recorded = target;
      store.approve(new Store.Approval(namespace, target, actor, why, clock.millis()));
      approvals.put(namespace, Optional.of(new Store.Approval(namespace, target, actor, why, clock.millis())));
    }
    Serving before = published.get().get(namespace);
    String from = before == null ? ServingMode.OBSERVE.label() : before.mode().label();
    String label = label(snap, namespace);
    long at = clock.millis();
    String approved = mode == ServingMode.ENFORCE ? recorded : null;
    store.setMode(new Store.ModeChange(namespace, from, mode.label(), recorded, actor, why, label, true, at));
    apiModes.put(namespace, new Store.ApiMode(mode.label(), approved, label));
    lastRequested.put(namespace, mode);
    logChange(namespace, actor, at, from, mode.label(), recorded, why, "api", overridden, wouldDeny);
    refresh(List.of(namespace), snap);
    return new Changed(published.get().get(namespace), judged, wouldDeny, overridden);
  }

  /** A version of the namespace's proposal: the newest, else read from the store once; null when unknown. */
  private Proposal stored(String ns, String version, Proposal newest) {
    if (version == null) {
      return null;
    }
    if (newest != null && newest.version().equals(version)) {
      return newest;
    }
    List<Proposal> cached = older.getOrDefault(ns, List.of());
    for (Proposal p : cached) {
      if (p.version().equals(version)) {
        return p;
      }
    }
    Proposal p = proposals.version(ns, version).orElse(null);
    if (p != null) {
      older.put(ns, cached.isEmpty() ? List.of(p) : List.of(p, cached.get(0)));
    }
    return p;
  }

  /** Whether a proposal restricts anything: one without a policy is nothing to dry-run. */
  private static boolean hasPolicy(Proposal p) {
    return !p.policies().policies().isEmpty();
  }

  private void pin(Store.Pin pin) {
    store.pin(pin);
    pins.put(pin.namespace(), pin);
    log.accept(new JsonObject().put("event", "dry_run_pin").put("namespace", pin.namespace())
        .put("version", pin.version()).put("actor", pin.actor()).put("at", Instant.ofEpochMilli(pin.atMillis()).toString())
        .put("reason", pin.reason()).encode());
  }

  private Serving compute(String ns, ClusterSnapshot snap, Map<String, List<String>> ips) {
    String label = label(snap, ns);
    Store.ApiMode api = apiModes.get(ns);
    ServingMode requested;
    String source;
    String approvedVersion = null;
    ServingMode last = lastRequested.get(ns);
    if (api != null && Objects.equals(api.label(), label)) {
      requested = ServingMode.parse(api.mode()).orElse(ServingMode.OBSERVE);
      source = "api";
      approvedVersion = api.proposalVersion();
    } else {
      requested = label == null ? ServingMode.OBSERVE : ServingMode.parse(label).orElse(ServingMode.OBSERVE);
      source = label == null ? "default" : "label";
      if (api != null) {
        // The label changed since the API set the mode: the label wins again.
        long at = clock.millis();
        String reason = "the Namespace label " + LABEL + " changed to " + (label == null ? "(none)" : "\"" + label + "\"")
            + " after the mode was set through the API";
        store.setMode(new Store.ModeChange(ns, api.mode(), requested.label(), null, LABEL_ACTOR, reason, label, false, at));
        apiModes.remove(ns);
        logChange(ns, LABEL_ACTOR, at, api.mode(), requested.label(), null, reason, "label", false, 0);
      } else {
        if (last != null && last != requested) {
          long at = clock.millis();
          String reason = "the Namespace label " + LABEL + " is " + (label == null ? "(none)" : "\"" + label + "\"");
          store.setMode(new Store.ModeChange(ns, last.label(), requested.label(), null, LABEL_ACTOR, reason, label,
              false, at));
          logChange(ns, LABEL_ACTOR, at, last.label(), requested.label(), null, reason, "label", false, 0);
        }
      }
      if (requested == ServingMode.ENFORCE) {
        approvedVersion = approvals.computeIfAbsent(ns, store::latestApproval).map(Store.Approval::version).orElse(null);
      }
    }
    lastRequested.put(ns, requested);
    if (label != null && ServingMode.parse(label).isEmpty() && source.equals("label")) {
      source = "default";
    }
    Proposal newest = proposals.newest(ns).orElse(null);
    Proposal approved = null;
    String note = null;
    ServingMode mode = requested;
    if (requested == ServingMode.ENFORCE) {
      approved = stored(ns, approvedVersion, newest);
      if (approved == null) {
        mode = ServingMode.DRY_RUN;
        note = approvedVersion == null ? "enforce needs an approved proposal version (POST .../mode); served as dry-run"
            : "approved version " + approvedVersion + " is not in the store; served as dry-run";
      }
    }
    Store.Pin pin = pins.get(ns);
    if (mode == ServingMode.DRY_RUN) {
      boolean entered = !source.equals("api") && requested == ServingMode.DRY_RUN && last != null
          && last != ServingMode.DRY_RUN;
      if ((pin == null || entered) && newest != null && hasPolicy(newest)
          && (pin == null || !pin.version().equals(newest.version()))) {
        // The label moved the namespace into dry-run (or nothing was pinned yet): the newest now.
        pin(new Store.Pin(ns, newest.version(), source.equals("api") ? "meshwarden" : LABEL_ACTOR,
            pin == null ? "the first proposal with a policy since dry-run was requested"
                : "the Namespace label " + LABEL + " moved the namespace to dry-run", clock.millis()));
        pin = pins.get(ns);
      }
    }
    Proposal pinned = pin == null ? null : stored(ns, pin.version(), newest);
    if (mode == ServingMode.DRY_RUN && pin != null && pinned == null) {
      note = (note == null ? "" : note + "; ") + "the pinned version " + pin.version() + " is not in the store;"
          + " nothing is dry-run";
    }
    if (label != null && ServingMode.parse(label).isEmpty()) {
      note = (note == null ? "" : note + "; ") + "the label " + LABEL + "=\"" + label + "\" is no mode (observe, dry-run,"
          + " enforce); ignored";
    }
    Map<String, PolicyLayers> layers = new TreeMap<>();
    Map<String, ServedResources> byWorkload = new TreeMap<>();
    if (mode != ServingMode.OBSERVE) {
      for (Workload w : snap.model().workloads()) {
        if (!w.namespace().equals(ns)) {
          continue;
        }
        // Shadow rules: the pinned version in dry-run, the newest in enforce (see the class comment).
        Proposal shadow = mode == ServingMode.DRY_RUN ? pinned : newest;
        WorkloadPolicy n = shadow == null ? null : shadow.forWorkload(w.id()).orElse(null);
        WorkloadPolicy a = approved == null ? null : approved.forWorkload(w.id()).orElse(null);
        PolicyLayers l = ServedForms.layers(mode, ServedForms.withAddresses(n, id -> ips.getOrDefault(id, List.of())),
            ServedForms.withAddresses(a, id -> ips.getOrDefault(id, List.of())));
        if (l.mode() != ServingMode.OBSERVE) {
          layers.put(w.id(), l);
        }
        byWorkload.put(w.id(), ServedForms.resources(w.id(), w, grpcWorkloads.contains(w.id()), l,
            options));
      }
    }
    Proposal shadow = mode == ServingMode.DRY_RUN ? pinned : mode == ServingMode.ENFORCE ? newest : null;
    ServedNamespace served = new ServedNamespace(ns, mode, shadow == null ? null : shadow.version(),
        approved == null ? null : approved.version(), byWorkload);
    return new Serving(ns, mode, source, requested, note, newest, approved, pin, pinned, layers, served);
  }

  private void logChange(String ns, String actor, long at, String from, String to, String version, String reason,
      String source, boolean overridden, long wouldDeny) {
    log.accept(new JsonObject().put("event", "mode_change").put("namespace", ns).put("actor", actor)
        .put("at", Instant.ofEpochMilli(at).toString()).put("from", from).put("to", to).put("version", version)
        .put("reason", reason).put("source", source).put("override", overridden).put("would_deny", wouldDeny).encode());
  }

  private static String label(ClusterSnapshot snap, String ns) {
    Namespace n = snap.model().namespaces().get(ns);
    return n == null ? null : n.labels().get(LABEL);
  }

  /** Workload id → its pods' current addresses. */
  private static Map<String, List<String>> podIps(ClusterSnapshot snap) {
    Map<String, List<String>> out = new HashMap<>();
    for (Workload w : snap.model().workloads()) {
      List<String> ips = snap.status(w).podIps();
      if (!ips.isEmpty()) {
        out.put(w.id(), ips);
      }
    }
    return out;
  }
}
