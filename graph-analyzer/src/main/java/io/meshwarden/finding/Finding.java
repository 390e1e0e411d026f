package io.meshwarden.finding;

import io.meshwarden.model.Origin;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One thing a reviewer should act on.
 *
 * @param subject what the finding is about: a workload, namespace or policy id
 * @param evidence the edges, flows or paths behind it, one line each, most telling first
 * @param origin the manifest (file:line) responsible, or {@link Origin#UNKNOWN}
 * @param remediation a concrete next step
 */
public record Finding(Rule rule, Severity severity, String title, String subject, List<String> evidence,
    Origin origin, String remediation) {

  /** Most severe first, then by rule and subject, so output is stable. */
  public static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity).reversed()
      .thenComparing(f -> f.rule().id()).thenComparing(Finding::subject).thenComparing(Finding::title);

  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(subject, "subject");
    evidence = List.copyOf(evidence);
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(remediation, "remediation");
  }
}
