package io.meshwarden.authz;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The mesh's trust domain and its aliases (Istio's {@code trustDomain} and
 * {@code trustDomainAliases}): identities in any of them are treated the same, and
 * {@code cluster.local} in a policy means all of them.
 */
public record TrustDomains(String local, List<String> aliases) {
  /** Istio's default, and the word policies use for "the local trust domain". */
  public static final String CLUSTER_LOCAL = "cluster.local";
  public static final TrustDomains DEFAULT = new TrustDomains(CLUSTER_LOCAL, List.of());

  public TrustDomains {
    Objects.requireNonNull(local, "local");
    aliases = List.copyOf(aliases);
  }

  /** The local trust domain first, then the aliases. */
  public List<String> all() {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    out.add(local);
    out.addAll(aliases);
    return List.copyOf(out);
  }

  /**
   * The principals a policy's principal pattern stands for, as Istio rewrites them: a pattern
   * {@code <td>/ns/<ns>/sa/<sa>} whose trust domain is {@code cluster.local} or one of ours becomes
   * one pattern per trust domain of ours; a pattern whose trust domain is a wildcard, or that is
   * not of that shape, or names a foreign trust domain, stays as it is (and is matched as written).
   */
  List<String> expandPrincipal(String pattern) {
    String[] parts = pattern.split("/", -1);
    if (parts.length != 5 || parts[0].equals("*")) {
      return List.of(pattern);
    }
    String td = parts[0];
    if (!td.equals(CLUSTER_LOCAL) && !all().contains(td)) {
      return List.of(pattern);
    }
    String rest = pattern.substring(td.length());
    List<String> out = new ArrayList<>();
    for (String mine : all()) {
      String p = mine + rest;
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** A {@code trustDomains} value naming one of ours stands for all of ours. */
  List<String> expandTrustDomain(String value) {
    return all().contains(value) ? all() : List.of(value);
  }
}
