package io.meshwarden.cli;

import picocli.CommandLine.Option;

/**
 * The listeners a running control plane opens (xDS, ALS, HTTP) and the address they all bind, declared
 * once for every command that runs one (a picocli mixin), so each option reads and is checked the same;
 * the command chooses the default ports.
 */
final class ListenerOptions {
  @Option(names = "--xds-port", paramLabel = "N",
      description = "ADS port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int xdsPort;

  @Option(names = "--als-port", paramLabel = "N",
      description = "ALS port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int alsPort;

  @Option(names = "--http-port", paramLabel = "N",
      description = "HTTP port of the UI and API; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--listen-address", paramLabel = "IP", defaultValue = "127.0.0.1",
      description = "Address every listener binds (default: ${DEFAULT-VALUE}).")
  String host;

  /** The ports picocli falls back to when an option is not given (the fields' initial values). */
  ListenerOptions(int xdsPort, int alsPort, int httpPort) {
    this.xdsPort = xdsPort;
    this.alsPort = alsPort;
    this.httpPort = httpPort;
  }

  /** Why the ports cannot be opened as given, or null when each is a port number (0 picks a free one). */
  String portError() {
    for (int p : new int[] {xdsPort, alsPort, httpPort}) {
      if (p < 0 || p > 65535) {
        return "port " + p + " is out of range (0-65535; 0 picks a free port)";
      }
    }
    return null;
  }
}
