package io.meshwarden.finding;

/**
 * The finding rules: a stable id (for SARIF, suppressions and CI), a short name, and what it means.
 */
public enum Rule {
  ALLOWED_BUT_UNOBSERVED("MW101", "allowed-but-unobserved",
      "A policy rule allows connections that no observed traffic used."),
  NO_DEFAULT_DENY("MW102", "no-default-deny",
      "Workloads in a namespace accept (or send) any traffic because no policy selects them."),
  EXTERNAL_EXPOSURE("MW103", "external-exposure",
      "A workload is reachable from outside the cluster through an entry point, or talks to it."),
  LATERAL_MOVEMENT("MW104", "lateral-movement",
      "From an entry point, allowed hops lead to a sensitive workload."),
  WOULD_BREAK("MW105", "would-break",
      "Observed traffic that current policy denies: breakage, or an attack worth a look."),
  OVER_BROAD_RULE("MW106", "over-broad-rule",
      "A policy rule admits every namespace, every port, or every address."),
  SELECTS_NOTHING("MW107", "selects-nothing",
      "A policy, or a peer of one of its rules, selects no workload: usually a label typo."),
  ANY_ADDRESS("MW108", "any-address",
      "Policy admits every public address into workloads no entry point leads to: reachable only where pod IPs"
          + " are routable."),
  DRIFT("MW109", "drift",
      "In an enforcing namespace, traffic the approved policy denies: what a workload is asked to do versus what it"
          + " may do (found live by serve, never by offline analysis)."),
  AMBIGUOUS_PRIORITY("MW110", "ambiguous-priority",
      "Two cluster policies of one tier share a priority and disagree on a connection both match: which one"
          + " wins is up to the implementation.");

  private final String id;
  private final String shortName;
  private final String description;

  Rule(String id, String shortName, String description) {
    this.id = id;
    this.shortName = shortName;
    this.description = description;
  }

  public String id() {
    return id;
  }

  public String shortName() {
    return shortName;
  }

  public String description() {
    return description;
  }
}
