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
 * @param locus the one policy rule the finding is about ({@code egress rule 1 of NetworkPolicy ns/name}),
 *     or null when it is not about a single rule; findings of several detectors on the same locus
 *     are one problem and become one finding
 * @param alsoRules the other rules whose findings on the same locus were folded into this one
 */
public record Finding(Rule rule, Severity severity, String title, String subject, List<String> evidence,
    Origin origin, String remediation, String locus, List<Rule> alsoRules) {

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
    alsoRules = List.copyOf(alsoRules);
  }

  /** A finding not tied to a single policy rule. */
  public Finding(Rule rule, Severity severity, String title, String subject, List<String> evidence, Origin origin,
      String remediation) {
    this(rule, severity, title, subject, evidence, origin, remediation, null, List.of());
  }

  /** The same finding, anchored on one policy rule (see {@link #locus}). */
  Finding at(String ruleLocus) {
    return new Finding(rule, severity, title, subject, evidence, origin, remediation, ruleLocus, alsoRules);
  }
}
