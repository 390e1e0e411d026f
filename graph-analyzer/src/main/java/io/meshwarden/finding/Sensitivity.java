package io.meshwarden.finding;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.Workload;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which workloads hold what an attacker wants: labelled {@code meshwarden.io/sensitive=true}, or
 * detected as a datastore, cache or broker by its ports or image.
 */
public final class Sensitivity {
  public static final String LABEL = "meshwarden.io/sensitive";

  private static final Map<Integer, String> PORTS = Map.ofEntries(
      Map.entry(5432, "PostgreSQL"), Map.entry(3306, "MySQL"), Map.entry(6379, "Redis"),
      Map.entry(27017, "MongoDB"), Map.entry(9042, "Cassandra"), Map.entry(9092, "Kafka"),
      Map.entry(5672, "RabbitMQ"), Map.entry(11211, "Memcached"), Map.entry(9200, "Elasticsearch"),
      Map.entry(2379, "etcd"), Map.entry(1433, "SQL Server"), Map.entry(1521, "Oracle"));
  private static final List<String> IMAGES = List.of("postgres", "mysql", "mariadb", "redis", "mongo", "cassandra",
      "kafka", "rabbitmq", "memcached", "elasticsearch", "etcd", "vault", "mssql", "oracle", "cockroach");

  private final Map<String, String> reasons;

  private Sensitivity(Map<String, String> reasons) {
    this.reasons = Map.copyOf(reasons);
  }

  public static Sensitivity of(ClusterModel model) {
    Map<String, String> out = new HashMap<>();
    for (Workload w : model.workloads()) {
      reason(w).ifPresent(r -> out.put(w.id(), r));
    }
    return new Sensitivity(out);
  }

  static Optional<String> reason(Workload w) {
    String label = w.podLabels().get(LABEL);
    if (label != null) {
      return "true".equalsIgnoreCase(label) ? Optional.of("labelled " + LABEL + "=true") : Optional.empty();
    }
    for (Container c : w.containers()) {
      String image = c.image() == null ? "" : c.image().toLowerCase(Locale.ROOT);
      String repo = image.contains("/") ? image.substring(image.lastIndexOf('/') + 1) : image;
      for (String i : IMAGES) {
        if (repo.startsWith(i)) {
          return Optional.of("image " + c.image());
        }
      }
      for (ContainerPort p : c.ports()) {
        String what = PORTS.get(p.port());
        if (what != null) {
          return Optional.of(what + " port " + p.port());
        }
      }
    }
    return Optional.empty();
  }

  public boolean isSensitive(Workload w) {
    return reasons.containsKey(w.id());
  }

  /** Why the workload counts as sensitive, or null. */
  public String reason(String workloadId) {
    return reasons.get(workloadId);
  }

  public int count() {
    return reasons.size();
  }
}
