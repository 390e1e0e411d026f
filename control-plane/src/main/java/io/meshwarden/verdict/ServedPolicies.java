package io.meshwarden.verdict;

import java.util.Optional;

/**
 * Read side of what is served per namespace. One writer (the proposal and mode state) publishes
 * immutable {@link ServedNamespace} values; readers call this from any thread without locks.
 */
public interface ServedPolicies {
  /** What the namespace is served, or empty when nothing is known of it (treated as observe). */
  Optional<ServedNamespace> namespace(String namespace);
}
