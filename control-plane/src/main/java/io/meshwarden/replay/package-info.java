/**
 * Stage: a source, for the demo. Recorded access-log files played back to a running control plane
 * as the Envoy sidecars that logged them would send them: one gRPC ALS stream per pod, with the
 * pod's Istio node metadata, through the same receiver, decoder and aggregator as live traffic.
 */
package io.meshwarden.replay;
