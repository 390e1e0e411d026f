package io.meshwarden.sidecar.rbac.eval;

import java.util.Objects;

/**
 * One RBAC layer's verdict on a request (enforced {@code rules} or dry-run {@code shadow_rules}),
 * with the policy a reviewer must look at: the one that matched, or for a denial under an ALLOW
 * list (where Envoy names no policy) the nearest one, the rule that would have to change.
 *
 * @param policy the RBAC policy name ({@code ns[..]-workload[..]-port[..]-rule[i]} for ours), or null
 */
public record LayerVerdict(Decision decision, String policy, Reason reason) {

  /** Why the verdict is what it is. */
  public enum Reason {
    /** {@code policy} matched: it allowed (ALLOW, LOG) or denied (DENY) the request. */
    MATCHED,
    /** No RBAC applies here (no filter, or the route disables it): allowed. */
    NO_RBAC,
    /** Denied: {@code policy} admits this peer, but not this port, method or path. */
    PEER_ADMITTED_REQUEST_NOT,
    /** Denied: {@code policy} admits this request, but not from this peer. */
    REQUEST_ADMITTED_PEER_NOT,
    /**
     * No policy matched: under ALLOW, denied (no policy admits the peer or the request, none on this
     * port, or none at all); under DENY, allowed.
     */
    NO_RULE_MATCHES,
    /** Denied: no filter chain takes this destination port, so the connection is closed. */
    NO_FILTER_CHAIN
  }

  public LayerVerdict {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reason, "reason");
  }

  public boolean allowed() {
    return decision.allowed();
  }

  /** An allowed decision of an RBAC config, which names the policy that matched, if any. */
  static LayerVerdict allowed(Decision d) {
    return new LayerVerdict(d, d.matchedPolicy(), d.matchedPolicy() != null ? Reason.MATCHED : Reason.NO_RULE_MATCHES);
  }
}
