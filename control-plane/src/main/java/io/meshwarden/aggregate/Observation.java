package io.meshwarden.aggregate;

import io.meshwarden.traffic.ObservedFlow;
import java.util.Objects;

/**
 * One observed request or connection on its way to the aggregator.
 *
 * @param node the ALS stream's node when the observation came from Envoy (the flow is then an
 *     inbound entry of that node's workload, and its destination address must be that workload's);
 *     null for a replayed flow record, whose both ends are resolved alike
 * @param shadowResult Envoy RBAC {@code shadow_engine_result} ({@code allowed} / {@code denied}), or null
 * @param shadowPolicyId Envoy RBAC {@code shadow_effective_policy_id}, or null
 * @param details {@code response_code_details} (HTTP) or {@code connection_termination_details}
 *     (TCP), or null
 * @param counted false for intermediate log entries (periodic, upstream-connected) that carry
 *     evidence but are not a request or connection of their own
 */
public record Observation(StreamNode node, ObservedFlow flow, String shadowResult, String shadowPolicyId,
    String details, boolean counted) {

  public Observation {
    Objects.requireNonNull(flow, "flow");
  }

  /** A replayed flow record. */
  public static Observation replayed(ObservedFlow flow) {
    return new Observation(null, flow, null, null, null, true);
  }
}
