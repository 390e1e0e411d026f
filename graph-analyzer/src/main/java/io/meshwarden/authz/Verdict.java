package io.meshwarden.authz;

/**
 * The answer of one layer, or of all layers together, for a connection or request.
 *
 * <ul>
 *   <li>{@link #ALLOWED}: allowed whatever the attributes that are not known;
 *   <li>{@link #DENIED}: denied whatever they are;
 *   <li>{@link #DEPENDS}: allowed for some values of attributes that are not known (a JWT claim, a
 *       header, the HTTP method) and denied for others; the decision names them;
 *   <li>{@link #NOT_EVALUABLE}: decided by something outside the configuration (a CUSTOM action's
 *       external authorizer), never to be read as allowed.
 * </ul>
 */
public enum Verdict {
  ALLOWED,
  DENIED,
  DEPENDS,
  NOT_EVALUABLE;

  /** Whether some request may get through: anything but {@link #DENIED}. */
  public boolean mayAllow() {
    return this != DENIED;
  }
}
