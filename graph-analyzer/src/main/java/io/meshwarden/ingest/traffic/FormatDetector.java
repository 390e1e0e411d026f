package io.meshwarden.ingest.traffic;

/**
 * Guesses a file's format from one line: {@code [} starts an Envoy text line, a JSON object with
 * Hubble's keys is a Hubble flow, any other object an Envoy JSON access log.
 */
final class FormatDetector {
  private static final byte[][] HUBBLE_KEYS = {bytes("\"flow\""), bytes("\"verdict\""), bytes("\"l4\""),
      bytes("\"node_status\""), bytes("\"lost_events\"")};

  private FormatDetector() {}

  /** The format of the line, or null when the line is blank or none fits. */
  static Format detect(Line line) {
    int first = line.firstNonBlank();
    if (first == '[') {
      return Format.ENVOY_TEXT;
    }
    if (first != '{') {
      return null;
    }
    for (byte[] key : HUBBLE_KEYS) {
      if (contains(line, key)) {
        return Format.HUBBLE_JSON;
      }
    }
    return Format.ENVOY_JSON;
  }

  private static boolean contains(Line line, byte[] key) {
    int last = line.off + line.len - key.length;
    outer:
    for (int i = line.off; i <= last; i++) {
      for (int k = 0; k < key.length; k++) {
        if (line.buf[i + k] != key[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
