package io.meshwarden.model;

/**
 * A piece of plain data read from a manifest that knows the 1-based line it starts on, so that a
 * later stage can point at a nested rule (an AuthorizationPolicy's third rule) and not only at
 * the document that holds it.
 */
public interface Located {
  /** The 1-based line the mapping starts on, 0 when unknown. */
  int line();

  /** The line of one of its keys, or its own line when that is not known. */
  default int lineOf(String key) {
    return line();
  }
}
