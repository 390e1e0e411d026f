package io.meshwarden.synthesis;

import io.meshwarden.traffic.InputSummary;
import java.util.List;
import java.util.Objects;

/**
 * Why no proposal may be made: the flow inputs gave no usable evidence. Every consumer of proposals
 * (the {@code generate} command, the live control plane) refuses on it instead of writing policy
 * that would lock down what was never observed.
 *
 * @param message one line naming the inputs, their bad-record counts and, when another format would
 *     read them, the flag to use
 * @param inputs the inputs that yielded nothing (empty when the refusal is not about one input)
 */
public record NoEvidence(String message, List<InputSummary> inputs) {
  public NoEvidence {
    Objects.requireNonNull(message, "message");
    inputs = List.copyOf(inputs);
  }
}
