package io.meshwarden.synthesis;

import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Rule-by-rule difference between two versions of one workload's policy (say, what is enforced
 * and what is proposed now), for review. A synthesized {@link PortRule} bundles several peers and
 * requests, so two versions are compared on what they grant: one {@link Grant} per direction,
 * port, peer and request. Each grant carries the provenance of the rule it came from and the
 * flows observed for exactly that grant in the edges given, so a reviewer sees why it is there
 * (or why it went). Pure.
 *
 * <p>The offline {@code diff} command compares the connectivity two NetworkPolicy sets allow
 * between workloads, with no evidence; this compares what two proposals grant, with their
 * evidence, so the two do not share code.
 */
public final class PolicyDiff {
  private PolicyDiff() {}

  /** Which side of the workload a grant is about. */
  public enum Direction {
    INGRESS,
    EGRESS
  }

  /**
   * One thing a policy allows.
   *
   * @param peer who may connect (ingress) or be connected to (egress)
   * @param request the allowed HTTP request, or null: any traffic on the port (L4)
   */
  public record Grant(Direction direction, Protocol protocol, int port, Peer peer, HttpMatch request)
      implements Comparable<Grant> {
    private static final Comparator<Grant> ORDER = Comparator.comparing(Grant::direction)
        .thenComparing(Grant::protocol).thenComparingInt(Grant::port).thenComparing(Grant::peer)
        .thenComparing(Grant::request, Comparator.nullsFirst(Comparator.naturalOrder()));

    public Grant {
      Objects.requireNonNull(direction, "direction");
      Objects.requireNonNull(protocol, "protocol");
      Objects.requireNonNull(peer, "peer");
    }

    @Override
    public int compareTo(Grant o) {
      return ORDER.compare(this, o);
    }
  }

  /**
   * Flows observed for exactly one grant (peer, port and request) in the edges the diff was given.
   *
   * @param edges how many observed edges (distinct request shapes) matched
   */
  public record Observed(long flows, Instant firstSeen, Instant lastSeen, int edges) {
    public static final Observed NONE = new Observed(0, null, null, 0);
  }

  /**
   * A grant with its evidence.
   *
   * @param rule the provenance of the rule that grants it, in the version it was taken from
   * @param observed the flows seen for this grant in the edges given to {@link #of}
   */
  public record Entry(Grant grant, Provenance rule, Observed observed) {
    public Entry {
      Objects.requireNonNull(grant, "grant");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(observed, "observed");
    }
  }

  /**
   * @param added granted by the new version only (evidence from the new version's rule)
   * @param removed granted by the old version only (evidence from the old version's rule)
   * @param unchanged granted by both (evidence from the new version's rule)
   */
  public record Result(List<Entry> added, List<Entry> removed, List<Entry> unchanged) {
    public Result {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
      unchanged = List.copyOf(unchanged);
    }

    public boolean changed() {
      return !added.isEmpty() || !removed.isEmpty();
    }
  }

  /** Every grant of a policy with the provenance of its rule, sorted; none for null (no policy). */
  public static Map<Grant, Provenance> grants(WorkloadPolicy p) {
    Map<Grant, Provenance> out = new TreeMap<>();
    if (p == null) {
      return out;
    }
    add(out, Direction.INGRESS, p.ingress());
    add(out, Direction.EGRESS, p.egress());
    return out;
  }

  private static void add(Map<Grant, Provenance> out, Direction d, List<PortRule> rules) {
    for (PortRule r : rules) {
      for (Peer peer : r.peers()) {
        if (r.http().isEmpty()) {
          out.putIfAbsent(new Grant(d, r.protocol(), r.port(), peer, null), r.provenance());
        }
        for (HttpMatch m : r.http()) {
          out.putIfAbsent(new Grant(d, r.protocol(), r.port(), peer, m), r.provenance());
        }
      }
    }
  }

  /**
   * The difference from {@code from} to {@code to} (either may be null: no policy, which grants
   * nothing and restricts nothing).
   *
   * @param workloadId the workload both versions are about ({@code ns/Kind/name})
   * @param edges observed edges (those of other workloads are skipped; {@link #byWorkload} hands
   *     each workload only its own, for many workloads); they give each grant its observed flows
   */
  public static Result of(String workloadId, WorkloadPolicy from, WorkloadPolicy to, List<ObservedEdge> edges) {
    Objects.requireNonNull(workloadId, "workloadId");
    Map<Grant, Provenance> before = grants(from);
    Map<Grant, Provenance> after = grants(to);
    List<ObservedEdge> mine = new ArrayList<>();
    for (ObservedEdge e : edges) {
      if (e.key().source().id().equals(workloadId) || e.key().destination().id().equals(workloadId)) {
        mine.add(e);
      }
    }
    List<Entry> added = new ArrayList<>();
    List<Entry> removed = new ArrayList<>();
    List<Entry> unchanged = new ArrayList<>();
    after.forEach((g, prov) -> (before.containsKey(g) ? unchanged : added)
        .add(new Entry(g, prov, observed(workloadId, g, mine))));
    before.forEach((g, prov) -> {
      if (!after.containsKey(g)) {
        removed.add(new Entry(g, prov, observed(workloadId, g, mine)));
      }
    });
    return new Result(added, removed, unchanged);
  }

  /** Edges by workload id of either end (an edge between two workloads is under both), in one pass. */
  public static Map<String, List<ObservedEdge>> byWorkload(List<ObservedEdge> edges) {
    Map<String, List<ObservedEdge>> out = new java.util.HashMap<>();
    for (ObservedEdge e : edges) {
      PeerRef s = e.key().source();
      PeerRef d = e.key().destination();
      if (s.isWorkload()) {
        out.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(e);
      }
      if (d.isWorkload() && !d.id().equals(s.id())) {
        out.computeIfAbsent(d.id(), k -> new ArrayList<>()).add(e);
      }
    }
    return out;
  }

  /** The flows of the edges that exactly this grant admits. */
  static Observed observed(String workloadId, Grant g, List<ObservedEdge> edges) {
    long flows = 0;
    Instant first = null;
    Instant last = null;
    int n = 0;
    for (ObservedEdge e : edges) {
      boolean ingress = g.direction() == Direction.INGRESS;
      PeerRef local = ingress ? e.key().destination() : e.key().source();
      PeerRef other = ingress ? e.key().source() : e.key().destination();
      if (!local.id().equals(workloadId) || e.key().protocol() != g.protocol() || e.key().port() != g.port()
          || !samePeer(g.peer(), other) || !admits(g.request(), e.key().method(), e.key().pathTemplate())) {
        continue;
      }
      n++;
      flows += e.stats().count();
      first = first == null || e.stats().firstSeen().isBefore(first) ? e.stats().firstSeen() : first;
      last = last == null || e.stats().lastSeen().isAfter(last) ? e.stats().lastSeen() : last;
    }
    return n == 0 ? Observed.NONE : new Observed(flows, first, last, n);
  }

  /** Whether a rule's peer is this resolved flow end (as the synthesizer would have named it). */
  static boolean samePeer(Peer peer, PeerRef ref) {
    return switch (peer.kind()) {
      case WORKLOAD -> ref.isWorkload() && ref.id().equals(peer.workloadId());
      case KUBELET -> ref.id().equals("external:node");
      case KUBE_DNS -> false;
      case CIDR -> ref.type() == PeerRef.Type.INTERNET ? "0.0.0.0/0".equals(peer.cidr())
          : ref.address().map(a -> a.toCidr().equals(peer.cidr())).orElse(false);
    };
  }

  /** Whether a request match admits an edge's method and path template (null match: any). */
  static boolean admits(HttpMatch m, String method, String pathTemplate) {
    if (m == null) {
      return true;
    }
    if (pathTemplate == null || (m.method() != null && !m.method().equals(method))) {
      return false;
    }
    return m.prefix() ? pathTemplate.startsWith(m.path()) : m.path().equals(pathTemplate);
  }
}
