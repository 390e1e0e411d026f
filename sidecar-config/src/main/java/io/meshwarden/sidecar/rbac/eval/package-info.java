/**
 * Our own evaluator of Envoy RBAC, for dry runs and for checking that what we generate means what
 * the intent says. {@link io.meshwarden.sidecar.rbac.eval.RbacEvaluator} compiles one RBAC proto
 * into matchers once and then decides requests without allocating; {@link
 * io.meshwarden.sidecar.rbac.eval.InboundEvaluator} picks a Listener's filter chain by destination
 * port and decides with its RBAC filters, enforced and shadow apart.
 *
 * <p>Semantics follow Envoy's {@code rbac.proto}: policies are visited in name order and the first
 * matching one is named in the decision; ALLOW allows iff some policy matches, DENY denies iff some
 * matches, LOG allows. A policy matches iff some permission and some principal match. Matchers we
 * cannot evaluate offline (metadata, filter state, extensions, CEL conditions) never match and are
 * listed by {@link io.meshwarden.sidecar.rbac.eval.RbacEvaluator#unsupported()}.
 */
package io.meshwarden.sidecar.rbac.eval;
