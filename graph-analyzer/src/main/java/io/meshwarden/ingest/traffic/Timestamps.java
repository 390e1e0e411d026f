package io.meshwarden.ingest.traffic;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * RFC 3339 timestamps as Envoy and Hubble write them. The common UTC shape is decoded by position,
 * because {@code DateTimeFormatter} costs more than the rest of a flow record together.
 */
final class Timestamps {
  private Timestamps() {}

  static Instant parse(String s) throws BadRecord {
    if (s == null || s.isEmpty()) {
      throw new BadRecord("missing timestamp");
    }
    Instant fast = utc(s);
    if (fast != null) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(s.replace(' ', 'T')).toInstant();
    } catch (DateTimeException e) {
      throw new BadRecord("bad timestamp \"" + Text.clip(s) + "\"");
    }
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, or null for any other shape. */
  private static Instant utc(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
        || (s.charAt(10) != 'T' && s.charAt(10) != ' ') || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 60) {
      return null;
    }
    long nanos = 0;
    if (n > 20) {
      if (s.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1) {
        return null;
      }
      int frac = digits(s, 20, n - 1);
      if (frac < 0) {
        return null;
      }
      nanos = frac;
      for (int i = n - 21; i < 9; i++) {
        nanos *= 10;
      }
    }
    try {
      long days = LocalDate.of(year, month, day).toEpochDay();
      return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second, nanos);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
