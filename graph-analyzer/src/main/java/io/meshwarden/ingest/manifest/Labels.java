package io.meshwarden.ingest.manifest;

import java.util.regex.Pattern;

/** Kubernetes label key and value syntax, as the API server validates it. */
final class Labels {
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Labels() {}

  /** Returns why the value is not a valid label value, or null if it is. */
  static String checkValue(String value) {
    if (value.length() > 63) {
      return "label value \"" + value + "\" is longer than 63 characters";
    }
    if (!NAME.matcher(value).matches()) {
      return "label value \"" + value + "\" must consist of alphanumerics, '-', '_' or '.', and"
          + " start and end with an alphanumeric";
    }
    return null;
  }

  /** Returns why the key is not a valid label key, or null if it is. */
  static String checkKey(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return "label key \"" + key + "\" has an invalid prefix";
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
      return "label key \"" + key + "\" is not a valid name";
    }
    return null;
  }
}
