package io.meshwarden.model;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Workloads as every human-facing output names them, np-guard's way: {@code ns/name[Kind]}. The
 * model keys workloads by {@link Workload#id()} ({@code ns/Kind/name}); keys, annotations and
 * API fields keep that form, and only text meant for people is renamed.
 */
public final class WorkloadNames {
  private static final Pattern WORKLOAD_ID = Pattern.compile("\\b([a-z0-9][a-z0-9.-]*)/("
      + String.join("|", Arrays.stream(WorkloadKind.values()).map(Enum::name).toList()) + ")/([a-z0-9][a-z0-9.-]*)");

  private WorkloadNames() {}

  /** Every workload id ({@code ns/Kind/name}) in {@code s} as {@code ns/name[Kind]}. */
  public static String text(String s) {
    return s == null ? null : WORKLOAD_ID.matcher(s).replaceAll("$1/$3[$2]");
  }
}
