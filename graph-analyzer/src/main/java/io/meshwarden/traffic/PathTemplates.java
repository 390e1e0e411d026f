package io.meshwarden.traffic;

/**
 * Folds request paths into templates so that one route is one edge: segments that are ids
 * (numbers, UUIDs, hex hashes of 8 or more characters, long opaque tokens) become {@code {id}},
 * {@code /users/123} and {@code /users/456} both becoming {@code /users/{id}}. The query string
 * is dropped. gRPC paths ({@code /pkg.Service/Method}) are names, not data, and stay as they are.
 */
public final class PathTemplates {
  static final String ID = "{id}";
  private static final int MIN_HEX = 8;
  private static final int MIN_TOKEN = 20;

  private PathTemplates() {}

  /** The template of a path, or null for null. */
  public static String template(String path) {
    if (path == null) {
      return null;
    }
    int cut = path.length();
    boolean digit = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        cut = i;
        break;
      }
      digit |= c >= '0' && c <= '9';
    }
    String p = cut < path.length() ? path.substring(0, cut) : path;
    if (p.isEmpty()) {
      return "/";
    }
    // Every id shape we fold contains a digit; most paths have none and are returned untouched.
    if (!digit || isGrpc(p)) {
      return p;
    }
    StringBuilder out = new StringBuilder(p.length());
    int start = 0;
    while (start <= p.length()) {
      int slash = p.indexOf('/', start);
      int end = slash < 0 ? p.length() : slash;
      String segment = p.substring(start, end);
      out.append(isId(segment) ? ID : segment);
      if (slash < 0) {
        break;
      }
      out.append('/');
      start = slash + 1;
    }
    return out.toString();
  }

  /** {@code /package.Service/Method}: two segments, the first dotted, both identifiers. */
  static boolean isGrpc(String p) {
    int second = p.indexOf('/', 1);
    if (!p.startsWith("/") || second < 0 || p.indexOf('/', second + 1) >= 0) {
      return false;
    }
    String service = p.substring(1, second);
    String method = p.substring(second + 1);
    return service.indexOf('.') > 0 && identifier(service, true) && identifier(method, false);
  }

  private static boolean identifier(String s, boolean dots) {
    if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isJavaIdentifierPart(c) || (dots && c == '.'))) {
        return false;
      }
    }
    return true;
  }

  static boolean isId(String s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    int digits = 0;
    int hex = 0;
    int letters = 0;
    int token = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
        hex++;
        token++;
      } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        hex++;
        letters++;
        token++;
      } else if ((c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z')) {
        letters++;
        token++;
      } else if (c == '-' || c == '_' || c == '=' || c == '+' || c == '.' || c == '~') {
        token++;
      }
    }
    if (digits == n) {
      return true;
    }
    if (digits == 0) {
      return false;
    }
    if (hex == n && n >= MIN_HEX) {
      return true;
    }
    if (isUuid(s)) {
      return true;
    }
    return token == n && n >= MIN_TOKEN && letters > 0;
  }

  private static boolean isUuid(String s) {
    if (s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
