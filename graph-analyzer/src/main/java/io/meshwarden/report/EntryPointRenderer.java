package io.meshwarden.report;

import io.meshwarden.connectivity.Peer;
import io.meshwarden.exposure.EntryPoint;
import java.util.List;

/** Renders the entry points the manifests declare, after np-guard's exposure sections. */
public final class EntryPointRenderer {
  private EntryPointRenderer() {}

  /** A txt section, or the empty string when there is nothing to report. */
  public static String txt(List<EntryPoint> entryPoints) {
    if (entryPoints.isEmpty()) {
      return "";
    }
    int width = 0;
    for (EntryPoint e : entryPoints) {
      width = Math.max(width, name(e).length());
    }
    StringBuilder sb = new StringBuilder("\nEntry points from outside the cluster (declared in manifests):\n");
    for (EntryPoint e : entryPoints) {
      sb.append(String.format("%-" + width + "s \t<= \t%s %s: %s (%s)%n", name(e), e.kind(), e.via(), e.detail(),
          e.origin()));
    }
    return sb.toString();
  }

  /** A JSON array of entry point objects. */
  public static String json(List<EntryPoint> entryPoints, String indent) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < entryPoints.size(); i++) {
      EntryPoint e = entryPoints.get(i);
      sb.append(i == 0 ? "\n" : ",\n").append(indent).append("  {\"workload\": ").append(Text.json(name(e)))
          .append(", \"kind\": ").append(Text.json(e.kind().name()))
          .append(", \"via\": ").append(Text.json(e.via()))
          .append(", \"detail\": ").append(Text.json(e.detail()))
          .append(", \"origin\": ").append(Text.json(e.origin().toString())).append('}');
    }
    return sb.append(entryPoints.isEmpty() ? "]" : "\n" + indent + "]").toString();
  }

  private static String name(EntryPoint e) {
    return new Peer.WorkloadPeer(e.workload()).displayName();
  }
}
