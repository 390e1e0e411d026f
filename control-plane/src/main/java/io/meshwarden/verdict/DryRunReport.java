package io.meshwarden.verdict;

import io.meshwarden.finding.Finding;
import io.meshwarden.sidecar.ServingMode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The live dry-run of one namespace as the API serves it: what the served proposal would deny,
 * what the enforced version denied (drift), grouped by destination and deciding rule, within the
 * window. Immutable.
 *
 * @param proposalVersion the proposal in the shadow rules now, or null (observe)
 * @param approvedVersion the version enforced now, or null unless enforcing
 * @param versions every version seen judging traffic in the window, newest activity first
 * @param wouldDeny flows the served proposal would deny, by destination, rule, then count
 * @param drift flows the enforced version denied (enforce only), same order
 * @param undecided observations our evaluator could not judge (no served listener on the port, or
 *     an L4 record where the policy is HTTP); Envoy's own verdicts on them still count
 * @param findings the drift as findings (MW109), one per destination workload
 */
public record DryRunReport(String namespace, ServingMode mode, String proposalVersion, String approvedVersion,
    Instant windowStart, Instant at, List<Version> versions, List<Flow> wouldDeny, List<Flow> drift, long undecided,
    List<Finding> findings) {

  public DryRunReport {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(mode, "mode");
    versions = List.copyOf(versions);
    wouldDeny = List.copyOf(wouldDeny);
    drift = List.copyOf(drift);
    findings = List.copyOf(findings);
  }

  /**
   * One version's activity in the window.
   *
   * @param layer {@code proposal} (shadow rules) or {@code approved} (enforced rules)
   * @param judged observations judged against it
   * @param denied of those, would-deny (proposal) or denied (approved)
   */
  public record Version(String layer, String version, long judged, long denied, long disagreements,
      Instant firstSeen, Instant lastSeen) {}

  /**
   * One would-deny or drift count.
   *
   * @param peer the caller: a workload id, {@code external:...} or {@code internet}; {@code *} for
   *     the overflow count
   * @param method null for L4
   * @param path the path template, null for L4
   * @param policy the RBAC policy that decided or would have to change, null when none relates
   * @param reason why our evaluator decided ({@code PEER_ADMITTED_REQUEST_NOT}, ...), {@code
   *     ENVOY_ONLY} when only Envoy denied, {@code OVERFLOW} for flows past the per-namespace cap
   * @param byEvaluator how many our evaluator denied
   * @param byEnvoy how many Envoy reported denied (shadow result or 403 details)
   * @param disagreements how many Envoy and our evaluator judged differently
   */
  public record Flow(String version, String destination, String peer, int port, String method, String path,
      String policy, String reason, long count, Instant firstSeen, Instant lastSeen, long byEvaluator, long byEnvoy,
      long disagreements, List<Sample> samples) {
    public Flow {
      samples = List.copyOf(samples);
    }
  }

  /** Would-deny flows of the served proposal, all keys together (overflow included). */
  public long wouldDenyTotal() {
    return wouldDeny.stream().mapToLong(Flow::count).sum();
  }

  public long driftTotal() {
    return drift.stream().mapToLong(Flow::count).sum();
  }
}
