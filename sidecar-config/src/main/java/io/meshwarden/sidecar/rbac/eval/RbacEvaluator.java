package io.meshwarden.sidecar.rbac.eval;

import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides requests against one Envoy RBAC config (envoy/config/rbac/v3/rbac.proto) the way Envoy
 * does: policies in name order, the first that matches is the reason; ALLOW allows iff a policy
 * matches, DENY denies iff one does, LOG allows and names the match. Compiled once; {@link #decide}
 * is thread-safe and does not allocate beyond the decision.
 */
public final class RbacEvaluator {
  private final String action;
  private final String[] names;
  private final Matcher[] permissions;
  private final Matcher[] principals;
  private final List<String> unsupported;
  private final Decision noMatch;

  private RbacEvaluator(RBAC rbac) {
    this.action = rbac.getAction().name();
    List<String> notes = new ArrayList<>();
    Map<String, Policy> sorted = new TreeMap<>(rbac.getPoliciesMap());
    names = sorted.keySet().toArray(String[]::new);
    permissions = new Matcher[names.length];
    principals = new Matcher[names.length];
    int i = 0;
    for (Policy p : sorted.values()) {
      boolean cel = p.hasCondition() || p.hasCheckedCondition();
      if (cel) {
        notes.add("policy " + names[i] + ": CEL condition (never matches here)");
      }
      permissions[i] = cel ? Matcher.NEVER : Matchers.permissions(p.getPermissionsList(), notes);
      principals[i] = Matchers.principals(p.getPrincipalsList(), notes);
      i++;
    }
    unsupported = List.copyOf(notes);
    noMatch = new Decision(rbac.getAction() != RBAC.Action.ALLOW, null, action);
  }

  /** Compiles {@code rbac}; unsupported matchers never match (see {@link #unsupported()}). */
  public static RbacEvaluator of(RBAC rbac) {
    return new RbacEvaluator(rbac);
  }

  public Decision decide(Request r) {
    for (int i = 0; i < names.length; i++) {
      if (permissions[i].matches(r) && principals[i].matches(r)) {
        return new Decision(!"DENY".equals(action), names[i], action);
      }
    }
    return noMatch;
  }

  /**
   * Why a request this config does not let through was refused, naming the policy that would have
   * to change: for ALLOW, the first policy (name order) that admits the peer but not the request,
   * else the first that admits the request but not the peer; for DENY, the policy that matched.
   * {@link LayerVerdict.Reason#NO_RULE_MATCHES} (no policy) when neither half of any policy matches.
   * Call only for a denied request; allocates.
   */
  LayerVerdict attribute(Decision denied, Request r) {
    if (denied.matchedPolicy() != null) {
      return new LayerVerdict(denied, denied.matchedPolicy(), LayerVerdict.Reason.MATCHED);
    }
    for (int i = 0; i < names.length; i++) {
      if (principals[i].matches(r)) {
        return new LayerVerdict(denied, names[i], LayerVerdict.Reason.PEER_ADMITTED_REQUEST_NOT);
      }
    }
    for (int i = 0; i < names.length; i++) {
      if (permissions[i].matches(r)) {
        return new LayerVerdict(denied, names[i], LayerVerdict.Reason.REQUEST_ADMITTED_PEER_NOT);
      }
    }
    return new LayerVerdict(denied, null, LayerVerdict.Reason.NO_RULE_MATCHES);
  }

  /** What this config contains that cannot be evaluated offline; empty means decisions are exact. */
  public List<String> unsupported() {
    return unsupported;
  }
}
