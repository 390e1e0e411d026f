package io.meshwarden.synthesis;

import io.meshwarden.model.Workload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Keeps a workload's policy under a rule budget by coarsening HTTP matches: templated paths
 * become prefixes at the first variable segment, then paths are cut back one segment at a time,
 * and as a last resort the port allows any request.
 */
final class Budget {
  private Budget() {}

  /** A match for an observed request; a template with {@code {id}} matches by prefix up to it. */
  static HttpMatch match(String method, String template) {
    int var = template.indexOf('{');
    if (var < 0) {
      return new HttpMatch(method, template, false);
    }
    return new HttpMatch(method, template.substring(0, var), true);
  }

  /** Rules count one per HTTP match, or one for an L4 rule. */
  static int cost(List<PortRule> rules) {
    int n = 0;
    for (PortRule r : rules) {
      n += Math.max(1, r.http().size());
    }
    return n;
  }

  static List<PortRule> fit(List<PortRule> rules, int max, Workload w, List<String> notes) {
    if (cost(rules) <= max) {
      return rules;
    }
    int before = cost(rules);
    List<PortRule> current = rules;
    for (int depth = 3; depth >= 1 && cost(current) > max; depth--) {
      List<PortRule> next = new ArrayList<>();
      for (PortRule r : current) {
        next.add(r.http().isEmpty() ? r : withHttp(r, truncate(r.http(), depth)));
      }
      current = next;
    }
    while (cost(current) > max) {
      PortRule widest = current.stream().filter(PortRule::isHttp)
          .max((a, b) -> Integer.compare(a.http().size(), b.http().size())).orElse(null);
      if (widest == null) {
        break;
      }
      List<PortRule> next = new ArrayList<>(current);
      next.set(next.indexOf(widest), withHttp(widest, List.of()));
      current = next;
    }
    notes.add(w.id() + ": " + before + " rules merged to " + cost(current) + " to stay within --max-rules-per-workload "
        + max + (cost(current) > max ? " (still over: its ports alone need more)" : ""));
    return current;
  }

  private static PortRule withHttp(PortRule r, List<HttpMatch> http) {
    return new PortRule(r.protocol(), r.port(), r.portName(), r.peers(), http, r.provenance());
  }

  /** Paths cut to their first {@code depth} segments (as prefixes); methods kept per path. */
  private static List<HttpMatch> truncate(List<HttpMatch> http, int depth) {
    TreeSet<HttpMatch> out = new TreeSet<>();
    for (HttpMatch m : http) {
      String[] segs = m.path().split("/", -1);
      if (segs.length - 1 <= depth) {
        out.add(m);
        continue;
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i <= depth; i++) {
        sb.append('/').append(segs[i]);
      }
      out.add(new HttpMatch(m.method(), sb.append('/').toString(), true));
    }
    return List.copyOf(out);
  }

  static Provenance combine(List<Provenance> all) {
    if (all.size() == 1) {
      return all.get(0);
    }
    List<String> edges = new ArrayList<>();
    long flows = 0;
    Instant first = null;
    Instant last = null;
    TreeSet<String> reasons = new TreeSet<>();
    for (Provenance p : all) {
      edges.addAll(p.edges());
      flows += p.flows();
      reasons.add(p.reason());
      if (p.firstSeen() != null && (first == null || p.firstSeen().isBefore(first))) {
        first = p.firstSeen();
      }
      if (p.lastSeen() != null && (last == null || p.lastSeen().isAfter(last))) {
        last = p.lastSeen();
      }
    }
    return new Provenance(String.join("; ", reasons), edges.stream().sorted().toList(), flows, first, last);
  }
}
