package io.meshwarden.authz;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Whether a rule, field or value matches a request in Kleene's three-valued logic: {@code MAYBE}
 * when the answer hinges on attributes that are not known, which {@code dependsOn} names.
 */
record Match(Truth truth, SortedSet<String> dependsOn) {
  enum Truth { YES, NO, MAYBE }

  static final Match YES = new Match(Truth.YES, Collections.emptySortedSet());
  static final Match NO = new Match(Truth.NO, Collections.emptySortedSet());

  Match {
    dependsOn = Collections.unmodifiableSortedSet(new TreeSet<>(dependsOn));
  }

  static Match of(boolean b) {
    return b ? YES : NO;
  }

  static Match maybe(String attribute) {
    return new Match(Truth.MAYBE, new TreeSet<>(java.util.List.of(attribute)));
  }

  boolean yes() {
    return truth == Truth.YES;
  }

  boolean no() {
    return truth == Truth.NO;
  }

  boolean maybe() {
    return truth == Truth.MAYBE;
  }

  Match and(Match o) {
    if (no() || o.no()) {
      return NO;
    }
    if (yes() && o.yes()) {
      return YES;
    }
    return merge(o);
  }

  Match or(Match o) {
    if (yes() || o.yes()) {
      return YES;
    }
    if (no() && o.no()) {
      return NO;
    }
    return merge(o);
  }

  Match not() {
    return yes() ? NO : no() ? YES : this;
  }

  /** Both MAYBE, or one MAYBE and the other neutral: the unknowns of the MAYBE sides. */
  private Match merge(Match o) {
    TreeSet<String> d = new TreeSet<>();
    if (maybe()) {
      d.addAll(dependsOn);
    }
    if (o.maybe()) {
      d.addAll(o.dependsOn);
    }
    return new Match(Truth.MAYBE, d);
  }
}
