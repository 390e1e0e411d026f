package io.meshwarden.ingest.traffic;

import io.meshwarden.traffic.InputSummary;
import java.util.List;
import java.util.Map;

/**
 * What reading flow files produced, apart from the flows themselves.
 *
 * @param lines non-blank lines seen
 * @param bytes bytes of (decompressed) input
 * @param flows flow records handed to the consumer
 * @param badRecords {@code file:line: reason} of the first unparseable records (capped)
 * @param badRecordCount every unparseable record, including those past the cap
 * @param skipped well-formed records that are deliberately not flows, by reason (replies, ICMP,
 *     Envoy's own log lines)
 * @param inputs what each file (or stdin) yielded, in reading order
 */
public record ReadSummary(int files, long lines, long bytes, long flows, List<String> badRecords, long badRecordCount,
    Map<String, Long> skipped, List<InputSummary> inputs) {

  public ReadSummary {
    badRecords = List.copyOf(badRecords);
    skipped = Map.copyOf(skipped);
    inputs = List.copyOf(inputs);
  }
}
