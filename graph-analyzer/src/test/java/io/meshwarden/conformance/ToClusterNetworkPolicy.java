package io.meshwarden.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Rewrites AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1) manifests as the
 * ClusterNetworkPolicies (v1alpha2) that mean the same, the way upstream rewrote its own
 * conformance inputs: an ANP becomes an Admin tier CNP of the same priority, the BANP a Baseline
 * tier CNP; {@code Allow} becomes {@code Accept}; {@code ports} become {@code protocols}; a
 * {@code pods} selector without {@code podSelector} gets the empty one v1alpha2 requires.
 */
final class ToClusterNetworkPolicy {
  private ToClusterNetworkPolicy() {}

  /** Whether any manifest under {@code dir} holds an ANP or BANP. */
  static boolean hasAdminPolicies(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(ToClusterNetworkPolicy::isManifest).toList()) {
        if (Files.readString(f).matches("(?s).*kind\"?\\s*:\\s*\"?(Baseline)?AdminNetworkPolicy.*")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Copies {@code from} to {@code to}, converting every ANP and BANP on the way. */
  static void convertTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        Files.createDirectories(target.getParent());
        String text = Files.readString(f);
        if (isManifest(f) && text.contains("AdminNetworkPolicy")) {
          target = target.resolveSibling(target.getFileName().toString().replaceAll("\\.(json|yml)$", ".yaml"));
          Files.writeString(target, convertYaml(text));
        } else {
          Files.writeString(target, text);
        }
      }
    }
  }

  private static boolean isManifest(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(f) && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
  }

  /** Every document of a YAML stream, ANP/BANP ones converted. */
  static String convertYaml(String text) {
    List<Object> out = new ArrayList<>();
    for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
      if (doc != null) {
        out.add(convertObject(doc));
      }
    }
    return new Dump(DumpSettings.builder().build()).dumpAllToString(out.iterator());
  }

  @SuppressWarnings("unchecked")
  private static Object convertObject(Object doc) {
    if (!(doc instanceof Map<?, ?> raw)) {
      return doc;
    }
    Map<String, Object> m = (Map<String, Object>) raw;
    Object kind = m.get("kind");
    if (m.get("items") instanceof List<?> items) {
      Map<String, Object> copy = new LinkedHashMap<>(m);
      copy.put("items", items.stream().map(ToClusterNetworkPolicy::convertObject).toList());
      return copy;
    }
    if ("AdminNetworkPolicy".equals(kind)) {
      return policy(m, "Admin");
    }
    if ("BaselineAdminNetworkPolicy".equals(kind)) {
      return policy(m, "Baseline");
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> policy(Map<String, Object> anp, String tier) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("apiVersion", "policy.networking.k8s.io/v1alpha2");
    out.put("kind", "ClusterNetworkPolicy");
    Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) anp.get("metadata"));
    // The BANP is always "default", a name an ANP may use too: CNP names share one space.
    if (tier.equals("Baseline")) {
      meta.put("name", "baseline-" + meta.get("name"));
    }
    out.put("metadata", meta);
    Map<String, Object> spec = (Map<String, Object>) anp.get("spec");
    Map<String, Object> cnp = new LinkedHashMap<>();
    cnp.put("tier", tier);
    cnp.put("priority", tier.equals("Admin") ? spec.get("priority") : 0);
    cnp.put("subject", subject((Map<String, Object>) spec.get("subject")));
    for (String direction : List.of("ingress", "egress")) {
      if (spec.get(direction) instanceof List<?> rules) {
        List<Object> converted = new ArrayList<>();
        for (Object r : rules) {
          converted.add(rule((Map<String, Object>) r, direction.equals("ingress") ? "from" : "to"));
        }
        cnp.put(direction, converted);
      }
    }
    out.put("spec", cnp);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> subject(Map<String, Object> s) {
    Map<String, Object> out = new LinkedHashMap<>(s);
    if (s.get("pods") instanceof Map<?, ?> pods) {
      Map<String, Object> p = new LinkedHashMap<>((Map<String, Object>) pods);
      p.putIfAbsent("podSelector", new LinkedHashMap<>());
      if (p.get("podSelector") == null) {
        p.put("podSelector", new LinkedHashMap<>());
      }
      out.put("pods", p);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> rule(Map<String, Object> r, String peersField) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (r.get("name") != null) {
      out.put("name", r.get("name"));
    }
    out.put("action", "Allow".equals(r.get("action")) ? "Accept" : r.get("action"));
    List<Object> peers = new ArrayList<>();
    for (Object p : (List<Object>) r.get(peersField)) {
      peers.add(subject((Map<String, Object>) p));
    }
    out.put(peersField, peers);
    if (r.get("ports") instanceof List<?> ports && !ports.isEmpty()) {
      List<Object> protocols = new ArrayList<>();
      for (Object p : ports) {
        protocols.add(protocol((Map<String, Object>) p));
      }
      out.put("protocols", protocols);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> protocol(Map<String, Object> port) {
    if (port.get("namedPort") != null) {
      return Map.of("destinationNamedPort", port.get("namedPort"));
    }
    Map<String, Object> destination;
    Map<String, Object> p;
    if (port.get("portNumber") instanceof Map<?, ?> n) {
      p = (Map<String, Object>) n;
      destination = Map.of("number", p.get("port"));
    } else {
      p = (Map<String, Object>) port.get("portRange");
      Object start = p.get("start");
      Object end = p.get("end");
      destination = start.equals(end) ? Map.of("number", start) : Map.of("range", Map.of("start", start, "end", end));
    }
    String protocol = p.get("protocol") == null ? "tcp" : String.valueOf(p.get("protocol")).toLowerCase(Locale.ROOT);
    return Map.of(protocol, Map.of("destinationPort", destination));
  }
}
