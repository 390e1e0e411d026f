package io.meshwarden.api;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prometheus text exposition format 0.0.4: HELP and TYPE once per name, then its samples. */
final class PrometheusText {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusText() {}

  static String render(List<Metric> metrics) {
    StringBuilder sb = new StringBuilder();
    String last = null;
    for (Metric m : metrics) {
      if (!m.name().equals(last)) {
        sb.append("# HELP ").append(m.name()).append(' ').append(m.help().replace("\\", "\\\\").replace("\n", "\\n"))
            .append('\n');
        sb.append("# TYPE ").append(m.name()).append(' ').append(m.type()).append('\n');
        last = m.name();
      }
      sb.append(m.name());
      if (!m.labels().isEmpty()) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, String> l : new TreeMap<>(m.labels()).entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          sb.append(l.getKey()).append("=\"").append(l.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
              .replace("\n", "\\n")).append('"');
        }
        sb.append('}');
      }
      sb.append(' ').append(number(m.value())).append('\n');
    }
    return sb.toString();
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
