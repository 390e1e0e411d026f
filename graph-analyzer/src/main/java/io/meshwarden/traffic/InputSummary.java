package io.meshwarden.traffic;

import java.util.Objects;

/**
 * What one flow input (a file, stdin, a live stream) yielded, so that an input that gave nothing
 * usable can be named instead of silently producing an empty proposal.
 *
 * @param name the file name, {@code <stdin>}, or a stream's name
 * @param lines non-blank lines (records) read
 * @param flows flow records it yielded
 * @param badRecords records that could not be parsed
 * @param formatHint when the records did not parse in the format used but another format reads
 *     them, e.g. {@code looks like Hubble JSON; use --flow-format hubble}; else null
 */
public record InputSummary(String name, long lines, long flows, long badRecords, String formatHint) {
  public InputSummary {
    Objects.requireNonNull(name, "name");
  }

  /** Whether the input had records and none of them was a usable flow. */
  public boolean yieldedNothing() {
    return flows == 0;
  }
}
