package io.meshwarden.verdict;

import io.meshwarden.aggregate.Observation;
import io.meshwarden.sidecar.ServingMode;
import io.meshwarden.sidecar.rbac.eval.Judgement;
import io.meshwarden.sidecar.rbac.eval.LayerVerdict;
import io.meshwarden.sidecar.rbac.eval.Request;
import io.meshwarden.sidecar.rbac.eval.ServedEvaluator;
import io.meshwarden.traffic.Endpoint;
import io.meshwarden.traffic.ObservedFlow;

/**
 * One observation against what its workload is served: our evaluator's verdict per layer, set
 * beside what Envoy logged (its shadow result in the entry's dynamic metadata, its enforced denial
 * in {@code response_code_details}). A layer counts as denied when either says so, and the rule is
 * always named by our evaluator, because Envoy names no policy when an ALLOW list denies and a
 * proxyless gRPC server logs no RBAC result at all. Pure.
 */
final class Judge {
  static final String ENVOY_DENIED = "rbac_access_denied_matched_policy[";

  private Judge() {}

  /**
   * One layer's outcome.
   *
   * @param envoyKnown whether the entry carried Envoy's verdict for this layer
   * @param policy the policy our evaluator names (for {@code ENVOY_ONLY}: the one it found matching,
   *     else the one Envoy named)
   */
  record Layer(boolean evaluatorDenied, boolean envoyKnown, boolean envoyDenied, String policy, String reason) {
    boolean denied() {
      return evaluatorDenied || envoyDenied;
    }

    boolean disagree() {
      return envoyKnown && envoyDenied != evaluatorDenied;
    }
  }

  /**
   * @param shadow the proposal's layer, null where none is served
   * @param enforced the approved layer, null unless the namespace enforces
   * @param undecided true when our evaluator could not judge the entry (no served listener takes
   *     its port, or an L4 record on a port whose policy is HTTP); Envoy's own verdicts still count
   */
  record Verdict(Layer shadow, Layer enforced, boolean undecided) {}

  static Verdict judge(Observation o, ServingMode mode, ServedEvaluator evaluator) {
    ObservedFlow f = o.flow();
    Judgement j = evaluator == null ? null : evaluator.judge(request(f));
    boolean undecided = j == null || (j.http() && f.httpMethod() == null && f.httpPath() == null);
    if (undecided) {
      j = null;
    }
    Layer shadow = null;
    if (mode != ServingMode.OBSERVE) {
      LayerVerdict ours = j == null ? null : j.shadow();
      boolean envoyKnown = o.shadowResult() != null;
      boolean envoyDenied = "denied".equalsIgnoreCase(o.shadowResult());
      shadow = layer(ours, envoyKnown, envoyDenied, o.shadowPolicyId());
    }
    Layer enforced = null;
    if (mode == ServingMode.ENFORCE) {
      LayerVerdict ours = j == null ? null : j.enforced();
      String d = o.details();
      boolean envoyDenied = d != null && d.startsWith(ENVOY_DENIED);
      enforced = layer(ours, d != null, envoyDenied, envoyDenied ? policyIn(d) : null);
    }
    return new Verdict(shadow, enforced, undecided);
  }

  private static Layer layer(LayerVerdict ours, boolean envoyKnown, boolean envoyDenied, String envoyPolicy) {
    boolean oursDenied = ours != null && !ours.allowed();
    if (oursDenied) {
      return new Layer(true, envoyKnown, envoyDenied, ours.policy(), ours.reason().name());
    }
    String policy = ours != null && ours.policy() != null ? ours.policy()
        : envoyPolicy == null || envoyPolicy.isEmpty() ? null : envoyPolicy;
    return new Layer(false, envoyKnown, envoyDenied, policy,
        envoyDenied ? FlowKey.ENVOY_ONLY : ours == null ? "UNDECIDED" : ours.reason().name());
  }

  /** {@code rbac_access_denied_matched_policy[ns-x]} → {@code ns-x}; {@code [none]} → null. */
  static String policyIn(String details) {
    int end = details.lastIndexOf(']');
    if (end <= ENVOY_DENIED.length()) {
      return null;
    }
    String p = details.substring(ENVOY_DENIED.length(), end);
    return p.isEmpty() || p.equals("none") ? null : p;
  }

  /** What the RBAC filter saw of the entry. */
  static Request request(ObservedFlow f) {
    Endpoint src = f.source();
    // A certificate of a foreign trust domain is kept as the peer's name (see EntryDecoder).
    String principal = src.principal() != null ? src.principal()
        : src.serviceHost() != null && src.serviceHost().startsWith("spiffe://") ? src.serviceHost() : null;
    try {
      return request(f, principal, src.ip(), f.destination().ip());
    } catch (IllegalArgumentException notAnAddress) {
      // A name or garbage where an address belongs (a forged entry): judged without addresses.
      return request(f, principal, null, null);
    }
  }

  private static Request request(ObservedFlow f, String principal, String sourceIp, String destinationIp) {
    Request.Builder b = Request.builder().principal(principal).sourceIp(sourceIp).destinationIp(destinationIp)
        .destinationPort(f.port()).method(f.httpMethod()).path(f.httpPath()).authority(f.authority());
    return b.build();
  }
}
