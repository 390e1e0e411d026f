package io.meshwarden.verdict;

import io.meshwarden.model.WorkloadKind;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Peers and workloads as every human-facing output names them (np-guard's form, the findings
 * report's and the graph API's): {@code ns/name[Kind]}, {@code ADDRESS[External]}, {@code internet}.
 * The ledger keys by the model's ids ({@code ns/Kind/name}); only what is shown is renamed.
 */
public final class Names {
  private static final Pattern WORKLOAD_ID = Pattern.compile("\\b([a-z0-9][a-z0-9.-]*)/("
      + String.join("|", Arrays.stream(WorkloadKind.values()).map(Enum::name).toList()) + ")/([a-z0-9][a-z0-9.-]*)");

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
    return s == null ? null : WORKLOAD_ID.matcher(s).replaceAll("$1/$3[$2]");
  }
}
