package io.meshwarden.ingest.traffic;

import io.meshwarden.traffic.ObservedFlow;

/** Where a line parser puts what it found: a flow, or a reason the record is deliberately not one. */
interface RecordSink {
  void flow(ObservedFlow flow);

  /** A well-formed record that is not a flow (a reply packet, ICMP, a proxy's own log line). */
  void skip(String reason);
}
