package io.meshwarden.ingest.manifest;

import io.meshwarden.model.NetworkRef;
import io.meshwarden.model.Origin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Secondary-network references: Multus's {@code k8s.v1.cni.cncf.io/networks} pod annotation,
 * KubeVirt's multus networks and the {@code k8s.v1.cni.cncf.io/policy-for} annotation.
 */
final class NetworkAnnotations {
  static final String NETWORKS = "k8s.v1.cni.cncf.io/networks";
  static final String POLICY_FOR = "k8s.v1.cni.cncf.io/policy-for";
  /** A VM's pod-network interface; its other interfaces are on secondary networks. */
  private static final String PRIMARY_INTERFACE = "eth0";

  private NetworkAnnotations() {}

  /**
   * Parses the networks annotation: either {@code [ns/]name[@interface]} items separated by
   * commas, or a JSON list of {@code {"name", "namespace", "ips"}} objects. A network named twice
   * is attached once, with the later entry's details.
   */
  static List<NetworkRef> podNetworks(String annotation, Origin origin, String where) throws ManifestException {
    if (annotation == null || annotation.isBlank()) {
      return List.of();
    }
    Map<String, NetworkRef> byName = new LinkedHashMap<>();
    String text = annotation.trim();
    if (text.startsWith("[") || text.startsWith("{") || text.contains("\"")) {
      Object parsed;
      try {
        parsed = new Load(LoadSettings.builder().build()).loadFromString(text);
      } catch (YamlEngineException e) {
        throw new ManifestException(origin, where + ": annotation " + NETWORKS + " is not valid JSON: "
            + firstLine(e.getMessage()));
      }
      if (!(parsed instanceof List<?> items)) {
        throw new ManifestException(origin, where + ": annotation " + NETWORKS + " must be a JSON list of networks");
      }
      for (Object item : items) {
        String name = Fields.str(item, "name");
        if (name == null || name.isEmpty()) {
          continue;
        }
        List<String> ips = new ArrayList<>();
        List<Object> rawIps = Fields.list(item, "ips");
        if (rawIps != null) {
          rawIps.forEach(ip -> ips.add(String.valueOf(ip)));
        }
        byName.put(name, new NetworkRef(Fields.str(item, "namespace"), name, ips));
      }
    } else {
      for (String part : text.split(",")) {
        String item = part.trim();
        int at = item.indexOf('@');
        if (at >= 0) {
          item = item.substring(0, at);
        }
        if (item.isEmpty()) {
          continue;
        }
        NetworkRef ref = qualified(item, List.of());
        byName.put(ref.name(), ref);
      }
    }
    return List.copyOf(byName.values());
  }

  /** Parses {@code policy-for}: a comma-separated list of {@code [ns/]name}. */
  static List<NetworkRef> policyFor(String annotation) {
    List<NetworkRef> out = new ArrayList<>();
    for (String part : annotation.split(",")) {
      String item = part.trim();
      if (!item.isEmpty()) {
        out.add(qualified(item, List.of()));
      }
    }
    return out;
  }

  /**
   * A VM's secondary networks: the multus entries of {@code spec.template.spec.networks}. Which
   * interface is on which network is not declared, so every secondary network gets all the
   * addresses cloud-init gives the non-primary interfaces.
   */
  static List<NetworkRef> vmNetworks(Map<String, Object> templateSpec) {
    List<String> ips = cloudInitSecondaryAddresses(Fields.list(templateSpec, "volumes"));
    Map<String, NetworkRef> byName = new LinkedHashMap<>();
    List<Object> networks = Fields.list(templateSpec, "networks");
    if (networks != null) {
      for (Object n : networks) {
        String name = Fields.str(Fields.map(n, "multus"), "networkName");
        if (name != null && !name.isEmpty()) {
          NetworkRef ref = qualified(name, ips);
          byName.put(ref.name(), ref);
        }
      }
    }
    return List.copyOf(byName.values());
  }

  private static List<String> cloudInitSecondaryAddresses(List<Object> volumes) {
    List<String> out = new ArrayList<>();
    if (volumes == null) {
      return out;
    }
    for (Object v : volumes) {
      String data = Fields.str(Fields.map(v, "cloudInitNoCloud"), "networkData");
      if (data == null || data.isBlank()) {
        continue;
      }
      Object parsed;
      try {
        parsed = new Load(LoadSettings.builder().build()).loadFromString(data);
      } catch (YamlEngineException e) {
        continue; // the guest would not configure it either
      }
      Map<String, Object> ethernets = Fields.map(parsed, "ethernets");
      if (ethernets == null) {
        continue;
      }
      for (Map.Entry<String, Object> e : ethernets.entrySet()) {
        List<Object> addresses = Fields.list(e.getValue(), "addresses");
        if (!PRIMARY_INTERFACE.equals(e.getKey()) && addresses != null) {
          addresses.forEach(a -> out.add(String.valueOf(a)));
        }
      }
    }
    return out;
  }

  private static NetworkRef qualified(String text, List<String> ips) {
    int slash = text.indexOf('/');
    return slash < 0 ? new NetworkRef(null, text, ips)
        : new NetworkRef(text.substring(0, slash), text.substring(slash + 1), ips);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
