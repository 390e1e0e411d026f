package io.meshwarden.authz;

import io.meshwarden.model.Origin;
import java.util.List;
import java.util.function.Function;

/**
 * One AuthorizationPolicy rule, compiled for one action: {@code from} (any source), {@code to}
 * (any operation) and {@code when} (every condition) must all match; an absent part matches
 * everything. Evaluated in three-valued logic, so a rule can match, not match, or match depending
 * on attributes nobody knows.
 *
 * <p>Fail-closed, as Istio's own translation does: in an ALLOW rule, an HTTP-only field on a TCP
 * connection or a value Istio cannot translate drops the whole rule (it matches nothing); in a
 * DENY rule they drop only that field or value (the rule matches more). A key the evaluator does
 * not know is stricter than Istio: the ALLOW rule matches nothing and the DENY rule everything.
 *
 * @param from null when absent (any source); else the sources, each a conjunction of fields
 * @param to null when absent (any operation)
 * @param failClosed why the rule cannot be evaluated as written (unknown key, or for ALLOW an
 *     invalid value), or null
 */
record CompiledRule(int index, Origin origin, boolean deny, List<List<FieldTest>> from, List<List<FieldTest>> to,
    List<FieldTest> when, boolean httpOnly, String failClosed) {

  /** One test against a request; MAYBE names the unknown attribute. */
  interface Test extends Function<AuthzRequest, Match> {}

  /**
   * One field or condition: any of {@code values} and none of {@code notValues} (Istio ANDs the
   * two); an empty list is no constraint.
   */
  record FieldTest(String attribute, boolean httpOnly, List<Test> values, List<Test> notValues) {
    FieldTest {
      values = List.copyOf(values);
      notValues = List.copyOf(notValues);
    }

    Match eval(AuthzRequest r) {
      if (httpOnly && r.protocol() == AuthzRequest.AppProtocol.TCP) {
        // Only reached in DENY rules: Istio drops the field, so it matches everything.
        return Match.YES;
      }
      Match m = Match.YES;
      if (!values.isEmpty()) {
        Match any = Match.NO;
        for (Test t : values) {
          any = any.or(t.apply(r));
        }
        m = any;
      }
      if (!notValues.isEmpty() && !m.no()) {
        Match any = Match.NO;
        for (Test t : notValues) {
          any = any.or(t.apply(r));
        }
        m = m.and(any.not());
      }
      return m;
    }
  }

  /** Whether this rule matches the request; {@code r.protocol()} is TCP or HTTP, never UNKNOWN. */
  Match eval(AuthzRequest r) {
    if (failClosed != null) {
      return deny ? Match.YES : Match.NO;
    }
    if (!deny && httpOnly && r.protocol() == AuthzRequest.AppProtocol.TCP) {
      return Match.NO;
    }
    Match m = Match.YES;
    for (FieldTest f : when) {
      m = m.and(f.eval(r));
      if (m.no()) {
        return m;
      }
    }
    m = m.and(anyOf(from, r));
    return m.no() ? m : m.and(anyOf(to, r));
  }

  private static Match anyOf(List<List<FieldTest>> alternatives, AuthzRequest r) {
    if (alternatives == null) {
      return Match.YES;
    }
    Match any = Match.NO;
    for (List<FieldTest> fields : alternatives) {
      Match all = Match.YES;
      for (FieldTest f : fields) {
        all = all.and(f.eval(r));
        if (all.no()) {
          break;
        }
      }
      any = any.or(all);
      if (any.yes()) {
        return any;
      }
    }
    return any;
  }
}
