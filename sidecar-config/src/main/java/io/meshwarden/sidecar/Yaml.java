package io.meshwarden.sidecar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Deterministic multi-document YAML for the policy writers: block style, keys sorted at every
 * level (which happens to give Kubernetes' apiVersion, kind, metadata, spec order), lists in the
 * order given. Stateless.
 */
public final class Yaml {
  private static final DumpSettings SETTINGS = DumpSettings.builder()
      .setDefaultFlowStyle(FlowStyle.BLOCK)
      .setIndent(2)
      .setIndicatorIndent(0)
      .setWidth(Integer.MAX_VALUE)
      .build();
  private static final BlockYaml BLOCK =
      new BlockYaml(SETTINGS.getSchema().getScalarResolver(), SETTINGS.getMaxSimpleKeyLength());

  private Yaml() {}

  /** A Kubernetes object as the writers build it: {@code apiVersion}, {@code kind}, {@code metadata}, {@code spec}. */
  public static Map<String, Object> object(String apiVersion, String kind, Map<String, ?> metadata,
      Map<String, ?> spec) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", apiVersion);
    doc.put("kind", kind);
    doc.put("metadata", metadata);
    doc.put("spec", spec);
    return doc;
  }

  /** The documents joined by {@code ---}; empty input gives an empty string. */
  public static String dumpAll(List<? extends Map<String, ?>> documents) {
    // A generated policy is a few kilobytes: room for most without growing.
    StringBuilder sb = new StringBuilder((int) Math.min(1 << 30, 2048L * documents.size()));
    Dump dump = new Dump(SETTINGS);
    for (Map<String, ?> doc : documents) {
      sb.append("---\n");
      // The direct writer takes what it reproduces byte for byte; snakeyaml everything else.
      if (!BLOCK.write(doc, sb)) {
        sb.append(dump.dumpToString(sorted(doc)));
      }
    }
    return sb.toString();
  }

  /** What snakeyaml alone writes for the documents: the reference the direct writer is tested against. */
  static String dumpAllWithSnakeyaml(List<? extends Map<String, ?>> documents) {
    StringBuilder sb = new StringBuilder();
    Dump dump = new Dump(SETTINGS);
    for (Map<String, ?> doc : documents) {
      sb.append("---\n").append(dump.dumpToString(sorted(doc)));
    }
    return sb.toString();
  }

  private static Object sorted(Object o) {
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
      return out;
    }
    if (o instanceof List<?> l) {
      return l.stream().map(Yaml::sorted).toList();
    }
    return o;
  }
}
