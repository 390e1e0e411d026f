package io.meshwarden.proposal;

import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The least-privilege policy proposed for one namespace from what was observed: one policy per
 * workload with evidence (none for the others, each named with the reason in the coverage), and
 * the coverage itself in {@code policies.evidence()} (window, flows, sources and what they cannot
 * see) and per workload ({@code flowsIn}, {@code flowsOut}, scopes). Immutable.
 *
 * @param version SHA-256 of what the policy enforces (see {@link ProposalCodec}); the same input
 *     gives the same version, in any process
 * @param notes what the synthesis could not express or left out
 * @param refusal why the traffic was no basis for any policy, or null
 * @param createdAtMillis when this version was first computed in this process
 */
public record Proposal(String namespace, String version, PolicySet policies, List<String> notes, String refusal,
    long createdAtMillis) {

  public Proposal {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(policies, "policies");
    notes = List.copyOf(notes);
  }

  /** The policy proposed for a workload ({@code ns/Kind/name}); empty: not enough evidence, no policy. */
  public Optional<WorkloadPolicy> forWorkload(String workloadId) {
    return policies.forWorkload(workloadId);
  }

  /** The stored JSON form (all of it, evidence included). */
  public String toJson() {
    return ProposalCodec.encode(this);
  }

  /** Reads the stored form back. */
  public static Proposal fromJson(String json) {
    return ProposalCodec.decode(json);
  }
}
