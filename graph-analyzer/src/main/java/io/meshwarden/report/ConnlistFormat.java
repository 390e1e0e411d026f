package io.meshwarden.report;

import java.util.Locale;

/** Output formats of the connectivity list, named as on the command line. */
public enum ConnlistFormat {
  TXT,
  JSON,
  CSV,
  MD,
  DOT;

  public static ConnlistFormat parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown format \"" + s + "\" (want txt, json, csv, md or dot)");
    }
  }
}
