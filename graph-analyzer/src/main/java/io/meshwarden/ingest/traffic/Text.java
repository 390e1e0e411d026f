package io.meshwarden.ingest.traffic;

/** Small string helpers shared by the parsers. */
final class Text {
  private Text() {}

  /** Envoy writes {@code -} for an absent value; both it and empty become null. */
  static String value(String s) {
    return s == null || s.isEmpty() || "-".equals(s) ? null : s;
  }

  /** Shortens hostile input before it goes into a report. */
  static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  static long parseLong(String s, String field) throws BadRecord {
    if (s == null) {
      return 0;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new BadRecord(field + " is not a number: \"" + clip(s) + "\"");
    }
  }
}
