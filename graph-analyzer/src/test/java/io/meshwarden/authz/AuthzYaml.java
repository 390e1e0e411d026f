package io.meshwarden.authz;

/**
 * Istio AuthorizationPolicy documents for tests whose policies differ only below the selector
 * (public for the tests of the stages that read them: decision, dryrun).
 */
public final class AuthzYaml {
  private AuthzYaml() {}

  /**
   * A policy named {@code name} in {@code namespace} on the pods labelled {@code app=<app>}; {@code spec}
   * is the rest of its spec (action, rules), written from column 0. The header is five lines, so a
   * test can count where a rule stands.
   */
  public static String onApp(String namespace, String app, String name, String spec) {
    return """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: %s, namespace: %s}
        spec:
          selector: {matchLabels: {app: %s}}
        """.formatted(name, namespace, app) + spec.indent(2);
  }
}
