/**
 * One ingress {@link io.meshwarden.synthesis.PortRule} becomes one Envoy RBAC {@code Policy}
 * (Istio's builder/model split): {@link io.meshwarden.sidecar.rbac.RbacTranslator} groups rules by
 * port, {@code PrincipalGenerator} turns each peer into principals and {@code PermissionGenerator}
 * each attribute (destination port, method, path) into permissions; all proto nesting lives in
 * {@code Protos}. A peer that cannot be expressed is dropped and noted, so ALLOW rules fail closed.
 */
package io.meshwarden.sidecar.rbac;
