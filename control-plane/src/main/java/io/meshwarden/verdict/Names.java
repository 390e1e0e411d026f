package io.meshwarden.verdict;

import io.meshwarden.model.WorkloadNames;

/**
 * Peers and workloads as every human-facing output names them (np-guard's form, the findings
 * report's and the graph API's): {@code ns/name[Kind]}, {@code ADDRESS[External]}, {@code internet}.
 * The ledger keys by the model's ids ({@code ns/Kind/name}); only what is shown is renamed.
 */
public final class Names {
  private Names() {}

  /** One peer or workload id ({@code ns/Kind/name}, {@code external:...}, {@code internet}) as shown. */
  public static String display(String id) {
    if (id == null) {
      return null;
    }
    if (id.startsWith("external:")) {
      return id.substring("external:".length()) + "[External]";
    }
    String[] parts = id.split("/", 3);
    return parts.length == 3 ? parts[0] + "/" + parts[2] + "[" + parts[1] + "]" : id;
  }

  /** Every workload id in a sentence, as shown. */
  public static String text(String s) {
    return WorkloadNames.text(s);
  }
}
