package io.meshwarden.xds;

/** One-line JSON objects of string fields, for log lines. */
final class Json {
  private Json() {}

  /** {@code {"k1":"v1",...}} from alternating keys and values. */
  static String object(String... keyValues) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (i > 0) {
        b.append(',');
      }
      str(b, keyValues[i]);
      b.append(':');
      str(b, keyValues[i + 1]);
    }
    return b.append('}').toString();
  }

  private static void str(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
