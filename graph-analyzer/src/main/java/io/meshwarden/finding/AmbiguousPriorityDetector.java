package io.meshwarden.finding;

import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.ClusterNetworkPolicy;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.Origin;
import io.meshwarden.model.PolicyPort;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MW110: two policies of one tier with one priority that could match the same connection with
 * different actions. The API leaves their order to the implementation ("there is no way for the
 * user to reliably determine which one it will choose"), so the verdict on that connection differs
 * between CNIs, and between restarts of one. ClusterNetworkPolicies may share a priority, and an
 * AdminNetworkPolicy may share one with an Admin tier ClusterNetworkPolicy.
 *
 * <p>Overlap is judged on the input's workloads: a workload both policies select in one
 * direction, and a peer (workload or CIDR) that a rule of each matches on a common port.
 */
final class AmbiguousPriorityDetector implements FindingDetector {

  @Override
  public Rule rule() {
    return Rule.AMBIGUOUS_PRIORITY;
  }

  /** One policy of a tier, whichever its kind. */
  private record Entry(String name, String tier, int priority, Selection subject, List<Clause> ingress,
      List<Clause> egress, Origin origin) {}

  /** A subject or {@code pods}/{@code namespaces} peer; ClusterNetworkPolicy leaves host-network pods out. */
  private record Selection(AdminNetworkPolicy.Subject pods, boolean skipsHostNetwork) {
    boolean selects(ClusterModel m, Workload w) {
      return !(skipsHostNetwork && w.hostNetwork())
          && pods.namespaceSelector().matches(m.namespace(w.namespace()).labels())
          && (pods.podSelector() == null || pods.podSelector().matches(w.podLabels()));
    }
  }

  /** One rule, reduced to what overlap needs. */
  private record Clause(String name, String action, List<Selection> pods, List<IpRange> networks,
      List<PolicyPort> ports, Origin origin) {}

  @Override
  public List<Finding> detect(AnalysisInput in) {
    ClusterModel m = in.model();
    List<Entry> entries = new ArrayList<>();
    m.adminNetworkPolicies().forEach(a -> entries.add(entry(a)));
    m.clusterNetworkPolicies().forEach(c -> entries.add(entry(c)));
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      for (int j = i + 1; j < entries.size(); j++) {
        Entry a = entries.get(i);
        Entry b = entries.get(j);
        if (a.tier().equals(b.tier()) && a.priority() == b.priority()) {
          conflict(m, a, b, true).or(() -> conflict(m, a, b, false)).ifPresent(out::add);
        }
      }
    }
    return out;
  }

  private Optional<Finding> conflict(ClusterModel m, Entry a, Entry b, boolean ingress) {
    List<Clause> ra = ingress ? a.ingress() : a.egress();
    List<Clause> rb = ingress ? b.ingress() : b.egress();
    if (ra.isEmpty() || rb.isEmpty()) {
      return Optional.empty();
    }
    Workload subject = m.workloads().stream()
        .filter(w -> a.subject().selects(m, w) && b.subject().selects(m, w)).findFirst().orElse(null);
    if (subject == null) {
      return Optional.empty();
    }
    for (Clause x : ra) {
      for (Clause y : rb) {
        if (x.action().equals(y.action()) || !portsOverlap(x.ports(), y.ports())) {
          continue;
        }
        String peer = commonPeer(m, x, y);
        if (peer == null) {
          continue;
        }
        String dir = ingress ? "ingress" : "egress";
        String title = a.name() + " and " + b.name() + " share " + a.tier() + " tier priority " + a.priority()
            + " and disagree on " + dir + " of " + Workloads.shortName(subject) + (ingress ? " from " : " to ") + peer;
        List<String> evidence = List.of(
            a.name() + " " + dir + " rule \"" + x.name() + "\" (" + x.origin() + "): " + x.action(),
            b.name() + " " + dir + " rule \"" + y.name() + "\" (" + y.origin() + "): " + y.action(),
            "the API leaves the order of equal priorities to the implementation: the verdict may differ by CNI");
        return Optional.of(new Finding(Rule.AMBIGUOUS_PRIORITY, io.meshwarden.finding.Severity.MEDIUM, title,
            a.name(), evidence, b.origin(), "give " + a.name() + " and " + b.name() + " different priorities in the "
                + a.tier() + " tier, the one that must win lower"));
      }
    }
    return Optional.empty();
  }

  /** A workload or CIDR both rules match, named for the finding, or null. */
  private static String commonPeer(ClusterModel m, Clause x, Clause y) {
    for (Workload w : m.workloads()) {
      if (x.pods().stream().anyMatch(s -> s.selects(m, w)) && y.pods().stream().anyMatch(s -> s.selects(m, w))) {
        return Workloads.shortName(w);
      }
    }
    for (IpRange r : x.networks()) {
      for (IpRange s : y.networks()) {
        if (r.overlaps(s)) {
          return (r.contains(s) ? s : r).toString();
        }
      }
    }
    return null;
  }

  private static boolean portsOverlap(List<PolicyPort> a, List<PolicyPort> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return true;
    }
    for (PolicyPort p : a) {
      for (PolicyPort q : b) {
        if (named(p) || named(q)) {
          return true; // resolved per pod: assume they can meet
        }
        if (p.protocol() == q.protocol() && low(p) <= high(q) && low(q) <= high(p)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean named(PolicyPort p) {
    return p.port() != null && p.port().isNamed();
  }

  private static int low(PolicyPort p) {
    return p.port() == null ? 1 : p.port().number();
  }

  private static int high(PolicyPort p) {
    return p.port() == null ? 65535 : p.endPort() > 0 ? p.endPort() : p.port().number();
  }

  private static Entry entry(AdminNetworkPolicy a) {
    String tier = a.baseline() ? "Baseline" : "Admin";
    return new Entry("AdminNetworkPolicy " + a.name(), tier, a.baseline() ? -1 : a.priority(),
        new Selection(a.subject(), false), clauses(a.ingress(), a.origin()), clauses(a.egress(), a.origin()),
        a.origin());
  }

  private static List<Clause> clauses(List<AdminNetworkPolicy.Rule> rules, Origin origin) {
    List<Clause> out = new ArrayList<>();
    for (AdminNetworkPolicy.Rule r : rules) {
      List<Selection> pods = new ArrayList<>();
      List<IpRange> nets = new ArrayList<>();
      for (AdminNetworkPolicy.Peer p : r.peers()) {
        if (p.pods() != null) {
          pods.add(new Selection(p.pods(), false));
        }
        p.networks().forEach(n -> nets.add(IpRange.parseCidr(n)));
      }
      String action = r.action() == AdminNetworkPolicy.Action.Allow ? "Accept" : r.action().name();
      out.add(new Clause(r.name() == null ? "" : r.name(), action, pods, nets, r.ports(), origin));
    }
    return out;
  }

  private static Entry entry(ClusterNetworkPolicy c) {
    return new Entry("ClusterNetworkPolicy " + c.name(), c.tier().name(), c.priority(),
        new Selection(c.subject(), true), cnpClauses(c.ingress()), cnpClauses(c.egress()), c.origin());
  }

  private static List<Clause> cnpClauses(List<ClusterNetworkPolicy.Rule> rules) {
    List<Clause> out = new ArrayList<>();
    for (ClusterNetworkPolicy.Rule r : rules) {
      List<Selection> pods = new ArrayList<>();
      List<IpRange> nets = new ArrayList<>();
      String action = r.action().name();
      if (r.failsClosed() && r.action() != ClusterNetworkPolicy.Action.Accept) {
        // Denies everything: every workload and address is its peer.
        pods.add(new Selection(new AdminNetworkPolicy.Subject(LabelSelector.EVERYTHING, null), false));
        nets.add(IpRange.ALL);
        nets.add(IpRange.ALL_IPV6);
        out.add(new Clause(r.name() == null ? "" : r.name(), "Deny", pods, nets, List.of(), r.origin()));
        continue;
      }
      for (ClusterNetworkPolicy.Peer p : r.peers()) {
        if (p.pods() != null) {
          pods.add(new Selection(p.pods(), true));
        }
        p.networks().forEach(n -> nets.add(IpRange.parseCidr(n)));
      }
      out.add(new Clause(r.name() == null ? "" : r.name(), action, pods, nets, r.protocols(), r.origin()));
    }
    return out;
  }
}
