package io.meshwarden.report;

/** Escaping shared by the renderers. */
final class Text {
  private Text() {}

  /**
   * Workload ids ({@code ns/Kind/name}, the model's key) in {@code s} written as np-guard names
   * workloads, {@code ns/name[Kind]}, the one form every human-facing output uses.
   */
  static String workloadNames(String s) {
    return io.meshwarden.model.WorkloadNames.text(s);
  }

  static String json(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /**
   * A diagnostic as a JSON object: {@code code}, {@code severity} (lower case), {@code file} and
   * {@code line} when it names a place, {@code message} (without the place).
   */
  static String json(io.meshwarden.model.Diagnostic d) {
    StringBuilder sb = new StringBuilder("{\"code\": ").append(json(d.code()))
        .append(", \"severity\": ").append(json(d.severity().lower()));
    if (d.located()) {
      sb.append(", \"file\": ").append(json(d.origin().file())).append(", \"line\": ").append(d.origin().line());
    }
    return sb.append(", \"message\": ").append(json(workloadNames(d.message()))).append('}').toString();
  }

  static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  static String dot(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
