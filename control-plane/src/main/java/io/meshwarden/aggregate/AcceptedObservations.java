package io.meshwarden.aggregate;

import io.meshwarden.model.Workload;
import io.meshwarden.traffic.PeerRef;

/**
 * Hears each ALS observation the aggregator accepted, with its ends resolved (the peer, and the
 * node's own workload as destination), so that later stages judge exactly what was learned. Called
 * on the aggregator's writer thread: an implementation must hand off and return, never block.
 */
@FunctionalInterface
public interface AcceptedObservations {
  AcceptedObservations NONE = (o, source, destination) -> { };

  void accepted(Observation observation, PeerRef source, Workload destination);
}
