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

  /**
   * @param merge collapses rules that became identical (same port, same requests); applied after
   *     every coarsening step, since coarsening is what makes rules equal
   */
  static List<PortRule> fit(List<PortRule> rules, int max, Workload w, List<String> notes,
      java.util.function.UnaryOperator<List<PortRule>> merge) {
    int before = cost(rules);
    if (before <= max) {
      return rules;
    }
    List<PortRule> current = rules;
    for (int depth = 3; depth >= 1 && cost(current) > max; depth--) {
      List<PortRule> next = new ArrayList<>(current.size());
      for (PortRule r : current) {
        next.add(r.http().isEmpty() ? r : withHttp(r, truncate(r.http(), depth)));
      }
      current = merge.apply(next);
    }
    int cost = cost(current);
    if (cost > max) {
      // Widest rules lose their request matching first; one pass, cost tracked as we go.
      List<PortRule> byWidth = new ArrayList<>(current);
      byWidth.sort((a, b) -> Integer.compare(b.http().size(), a.http().size()));
      List<PortRule> next = new ArrayList<>(byWidth.size());
      for (PortRule r : byWidth) {
        if (cost > max && r.isHttp()) {
          cost -= r.http().size() - 1;
          next.add(withHttp(r, List.of()));
        } else {
          next.add(r);
        }
      }
      current = merge.apply(next);
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
    List<String> listed = edges.stream().filter(e -> !e.startsWith("... and ")).sorted().toList();
    long hidden = edges.stream().filter(e -> e.startsWith("... and "))
        .mapToLong(e -> Long.parseLong(e.substring("... and ".length(), e.indexOf(" more")))).sum();
    List<String> kept = new ArrayList<>(listed.subList(0, Math.min(listed.size(), PolicySynthesizer.PROVENANCE_EDGES)));
    hidden += listed.size() - kept.size();
    if (hidden > 0) {
      kept.add("... and " + hidden + " more edges");
    }
    return new Provenance(String.join("; ", reasons), kept, flows, first, last);
  }
}
