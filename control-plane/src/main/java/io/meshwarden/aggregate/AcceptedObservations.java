package io.meshwarden.aggregate;

import io.meshwarden.model.Workload;
import io.meshwarden.traffic.PeerRef;

/**
 * Hears each ALS observation the aggregator accepted, with its ends resolved (the peer, and the
 * node's own workload as destination) and the request shape its edge is kept under (canonical
 * method and path template, null for L4), so that later stages judge and key exactly what was
 * learned. Called on the aggregator's writer thread: an implementation must hand off and return,
 * never block.
 */
@FunctionalInterface
public interface AcceptedObservations {
  AcceptedObservations NONE = (o, source, destination, method, pathTemplate) -> { };

  void accepted(Observation observation, PeerRef source, Workload destination, String method, String pathTemplate);
}
