package io.meshwarden.api;

import io.meshwarden.proposal.Proposal;
import io.meshwarden.report.PolicySetRenderer;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicyDiff;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.Provenance;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.meshwarden.traffic.ObservedEdge;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The JSON of a policy diff between two proposal versions ({@link PolicyDiff}): per workload the
 * rules of each side and the grants added, removed and unchanged, each with the provenance of its
 * rule and the flows observed for exactly that grant. Shapes are in {@code openapi.yaml}
 * ({@code PolicyDiff}, {@code WorkloadPolicyDiff}). Pure.
 */
final class PolicyDiffJson {
  private PolicyDiffJson() {}

  /**
   * One side of a diff.
   *
   * @param role why this version: {@code enforced}, {@code dry-run}, {@code newest}, {@code named}
   *     (asked for) or {@code none} (no policy: grants nothing, restricts nothing)
   * @param proposal the version, or null for {@code none}
   */
  record Side(String role, Proposal proposal) {
    String version() {
      return proposal == null ? null : proposal.version();
    }

    WorkloadPolicy policy(String workloadId) {
      return proposal == null ? null : proposal.forWorkload(workloadId).orElse(null);
    }

    JsonObject json() {
      return new JsonObject().put("version", version()).put("role", role);
    }
  }

  /** Every workload either side has a policy for, with its diff; and totals. */
  static JsonObject namespace(String ns, Side from, Side to, List<ObservedEdge> edges) {
    JsonArray workloads = new JsonArray();
    JsonObject summary = each(from, to, edges, (id, d) -> workloads.add(entries(new JsonObject().put("workload", id), d)));
    return new JsonObject().put("namespace", ns).put("from", from.json()).put("to", to.json())
        .put("summary", summary).put("workloads", workloads);
  }

  /** Counts only, for the proposal's own answer. */
  static JsonObject summary(Side from, Side to, List<ObservedEdge> edges) {
    return new JsonObject().put("from", from.json()).put("to", to.json())
        .mergeIn(each(from, to, edges, (id, d) -> { }));
  }

  /** Diffs every workload either side has a policy for (edges indexed once), hands each on, returns the totals. */
  private static JsonObject each(Side from, Side to, List<ObservedEdge> edges,
      BiConsumer<String, PolicyDiff.Result> each) {
    TreeSet<String> ids = new TreeSet<>();
    for (Side s : List.of(from, to)) {
      if (s.proposal() != null) {
        s.proposal().policies().policies().forEach(p -> ids.add(p.workloadId()));
      }
    }
    Map<String, List<ObservedEdge>> byWorkload = PolicyDiff.byWorkload(edges);
    long added = 0;
    long removed = 0;
    long unchanged = 0;
    int changed = 0;
    for (String id : ids) {
      PolicyDiff.Result d = PolicyDiff.of(id, from.policy(id), to.policy(id), byWorkload.getOrDefault(id, List.of()));
      added += d.added().size();
      removed += d.removed().size();
      unchanged += d.unchanged().size();
      changed += d.changed() ? 1 : 0;
      each.accept(id, d);
    }
    return new JsonObject().put("added", added).put("removed", removed).put("unchanged", unchanged)
        .put("workloadsChanged", changed);
  }

  /** One workload: both sides' rules (as {@code generate -o json} writes a policy) and the diff. */
  static JsonObject workload(String workloadId, Side from, Side to, List<ObservedEdge> edges) {
    PolicyDiff.Result d = PolicyDiff.of(workloadId, from.policy(workloadId), to.policy(workloadId), edges);
    return entries(new JsonObject().put("workload", workloadId)
        .put("from", from.json().put("policy", policy(from, workloadId)))
        .put("to", to.json().put("policy", policy(to, workloadId))), d);
  }

  private static JsonObject policy(Side side, String workloadId) {
    WorkloadPolicy p = side.policy(workloadId);
    if (p == null) {
      return null;
    }
    PolicySet one = new PolicySet(side.proposal().policies().trustDomain(), List.of(p),
        side.proposal().policies().evidence());
    return new JsonObject(PolicySetRenderer.json(one, List.of())).getJsonArray("policies").getJsonObject(0);
  }

  private static JsonObject entries(JsonObject out, PolicyDiff.Result d) {
    return out.put("changed", d.changed()).put("added", array(d.added())).put("removed", array(d.removed()))
        .put("unchanged", array(d.unchanged()));
  }

  private static JsonArray array(List<PolicyDiff.Entry> entries) {
    JsonArray a = new JsonArray();
    entries.forEach(e -> a.add(entry(e)));
    return a;
  }

  static JsonObject entry(PolicyDiff.Entry e) {
    PolicyDiff.Grant g = e.grant();
    HttpMatch m = g.request();
    Provenance pv = e.rule();
    PolicyDiff.Observed o = e.observed();
    return new JsonObject().put("direction", g.direction().name().toLowerCase(Locale.ROOT))
        .put("protocol", g.protocol().name()).put("port", g.port()).put("peer", peer(g.peer()))
        .put("request", m == null ? null : new JsonObject().put("method", m.method()).put("path", m.path())
            .put("prefix", m.prefix()))
        .put("rule", new JsonObject().put("reason", pv.reason()).put("flows", pv.flows())
            .put("firstSeen", time(pv.firstSeen())).put("lastSeen", time(pv.lastSeen()))
            .put("edges", new JsonArray(pv.edges())))
        .put("observed", new JsonObject().put("flows", o.flows()).put("firstSeen", time(o.firstSeen()))
            .put("lastSeen", time(o.lastSeen())).put("edges", o.edges()));
  }

  static JsonObject peer(Peer p) {
    String label = switch (p.kind()) {
      case WORKLOAD -> p.workloadId();
      case CIDR -> p.cidr();
      case KUBELET -> "kubelet";
      case KUBE_DNS -> "kube-dns";
    };
    return new JsonObject().put("kind", p.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .put("label", label).put("workload", p.workloadId()).put("namespace", p.namespace())
        .put("principal", p.principal()).put("cidr", p.cidr());
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
