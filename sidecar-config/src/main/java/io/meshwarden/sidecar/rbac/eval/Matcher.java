package io.meshwarden.sidecar.rbac.eval;

/** A compiled principal or permission: no allocation, no proto access when matching. */
@FunctionalInterface
interface Matcher {
  boolean matches(Request r);

  Matcher ANY = r -> true;
  Matcher NEVER = r -> false;
}
