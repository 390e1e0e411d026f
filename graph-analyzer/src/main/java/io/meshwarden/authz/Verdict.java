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

  /**
   * Whether this is more favourable to the connection than {@code other}: ALLOWED, then DEPENDS,
   * then NOT_EVALUABLE, then DENIED. Where one input stands for several (a DNS name for the public
   * ranges it may be in), the answer reported is the most favourable one, so that nothing is called
   * denied that may be let through.
   */
  public boolean moreFavourableThan(Verdict other) {
    return favour() < other.favour();
  }

  private int favour() {
    return switch (this) {
      case ALLOWED -> 0;
      case DEPENDS -> 1;
      case NOT_EVALUABLE -> 2;
      case DENIED -> 3;
    };
  }
}
