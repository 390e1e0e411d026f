package io.meshwarden.finding;

import java.util.List;

/** Finds one kind of problem. Implementations are pure functions of their input. */
public interface FindingDetector {
  Rule rule();

  List<Finding> detect(AnalysisInput input);
}
