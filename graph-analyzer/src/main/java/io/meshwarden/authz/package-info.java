/**
 * Analysis: Istio AuthorizationPolicy semantics, evaluated per request the way the sidecar does, for dry runs and explanations.
 */
package io.meshwarden.authz;
