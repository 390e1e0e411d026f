package io.meshwarden.verdict;

import java.util.Objects;

/**
 * What one would-deny or drift count is kept under: the layer's version, the destination
 * workload, the peer, the port, the request shape (method and path template, null for L4) and
 * the deciding rule (the RBAC policy named by our evaluator, and why it decided).
 *
 * @param version the proposal version (would-deny) or the approved version (drift)
 * @param policy the RBAC policy that matched or would have to change; null when no policy relates
 * @param reason an {@link io.meshwarden.sidecar.rbac.eval.LayerVerdict.Reason} name, {@code ENVOY_ONLY}
 *     when only Envoy denied, or {@code OVERFLOW} for the one key that counts what the cap turned away
 */
record FlowKey(Kind kind, String version, String destination, String peer, int port, String method, String path,
    String policy, String reason) {

  /** The layer a count belongs to. */
  enum Kind {
    /** The shadow layer (the proposal) would deny: dry-run and the newest proposal in enforce. */
    WOULD_DENY,
    /** The enforced layer (the approved version) denied: traffic outside policy. */
    DRIFT
  }

  static final String OVERFLOW = "OVERFLOW";
  static final String ENVOY_ONLY = "ENVOY_ONLY";

  FlowKey {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(reason, "reason");
  }

  /** The key under which flows past the per-namespace cap are still counted. */
  static FlowKey overflow(Kind kind, String version) {
    return new FlowKey(kind, version, "*", "*", 0, null, null, null, OVERFLOW);
  }

  boolean isOverflow() {
    return OVERFLOW.equals(reason);
  }
}
