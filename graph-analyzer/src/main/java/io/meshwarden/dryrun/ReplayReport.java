package io.meshwarden.dryrun;

import io.meshwarden.authz.Verdict;
import io.meshwarden.model.Origin;
import io.meshwarden.model.WorkloadNames;
import java.util.List;
import java.util.Objects;

/**
 * What replaying recorded traffic through a proposed policy found: every flow it would deny, and
 * every flow whose fate it cannot tell (it depends on what the records do not say, or an
 * external authorizer decides), grouped by destination and by the layer and rule that decide.
 *
 * @param flowsUndecided flows that are neither surely allowed nor surely denied
 */
public record ReplayReport(long edgesReplayed, long flowsReplayed, long flowsDenied, long flowsUndecided,
    List<Group> wouldDeny) {
  public ReplayReport {
    wouldDeny = List.copyOf(wouldDeny);
  }

  public boolean deniesAnything() {
    return flowsDenied > 0;
  }

  /** Whether some flow is not proven to pass: denied, or undecided. */
  public boolean mayDenyAnything() {
    return flowsDenied > 0 || flowsUndecided > 0;
  }

  /**
   * Flows to one destination, decided the same way.
   *
   * @param layer the deciding layer: {@code egress} or {@code ingress} (NetworkPolicy /
   *     AdminNetworkPolicy), or {@code Istio authorization}
   * @param verdict DENIED, DEPENDS or NOT_EVALUABLE
   * @param decidedBy the policy and rule, or why no rule admitted the flows
   * @param samples up to five flows: source, port, request, count, record location
   * @param dependsOn for DEPENDS, the attributes the records do not carry
   */
  public record Group(String destination, String layer, Verdict verdict, String decidedBy, Origin origin, long flows,
      List<String> sources, List<String> samples, List<String> dependsOn) {
    public Group {
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(verdict, "verdict");
      sources = List.copyOf(sources);
      samples = List.copyOf(samples);
      dependsOn = List.copyOf(dependsOn);
    }
  }

  /** Text for the terminal and for CI logs. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("replayed %d flows on %d observed edges: %d would be denied%s%n", flowsReplayed,
        edgesReplayed, flowsDenied, flowsUndecided == 0 ? "" : ", " + flowsUndecided + " cannot be decided"));
    for (Group g : wouldDeny) {
      String head = switch (g.verdict()) {
        case DENIED -> "DENY";
        case DEPENDS -> "MAY DENY";
        default -> "NOT EVALUABLE";
      };
      sb.append(String.format("%n%s %d flow%s to %s [%s]%n  decided by: %s%n", head, g.flows(),
          g.flows() == 1 ? "" : "s", g.destination(), g.layer(), g.decidedBy()));
      if (!g.dependsOn().isEmpty()) {
        sb.append("  depends on: ").append(String.join(", ", g.dependsOn())).append('\n');
      }
      sb.append("  sources: ").append(String.join(", ", g.sources())).append('\n');
      g.samples().forEach(s -> sb.append("  e.g. ").append(s).append('\n'));
    }
    // Written for people: workloads named ns/name[Kind], as every report names them.
    return WorkloadNames.text(sb.toString());
  }
}
