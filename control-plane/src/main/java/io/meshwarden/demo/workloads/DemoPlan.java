package io.meshwarden.demo.workloads;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which simulated pods run, derived from the cluster's manifests: for each Online Boutique service
 * (and the load generator) the workload of that name in the namespace gives its service account,
 * labels and serving port (its first TCP container port), and the pod gets the next loopback
 * address. A service the plan leaves out is not called (the calls to it are dropped from the graph).
 */
public record DemoPlan(String namespace, List<DemoPod> pods, List<OnlineBoutique.Service> services) {

  /** The loopback address of the first pod; the others follow (127.0.0.10, .11, ...). */
  public static final String FIRST_ADDRESS = "127.0.0.10";

  public DemoPlan {
    Objects.requireNonNull(namespace, "namespace");
    pods = List.copyOf(pods);
    services = List.copyOf(services);
  }

  /**
   * The plan for the Online Boutique in {@code namespace}.
   *
   * @param only the services to run (workload names); empty for all of them. The load generator
   *     and the frontend always run (the load enters there).
   * @throws IllegalArgumentException naming what is missing when a workload is not in the manifests
   *     or has no TCP container port, or when an address is not a loopback one
   */
  public static DemoPlan onlineBoutique(ClusterModel model, String namespace, Set<String> only, String firstAddress) {
    Set<String> wanted = new LinkedHashSet<>();
    wanted.add(OnlineBoutique.LOAD_GENERATOR);
    List<OnlineBoutique.Service> services = new ArrayList<>();
    for (OnlineBoutique.Service s : OnlineBoutique.services()) {
      if (only.isEmpty() || only.contains(s.workload()) || s.workload().equals(OnlineBoutique.FRONTEND)) {
        services.add(s);
        wanted.add(s.workload());
      }
    }
    for (String w : only) {
      if (!wanted.contains(w)) {
        throw new IllegalArgumentException("the simulated Online Boutique has no service " + w);
      }
    }
    byte[] next = address(firstAddress);
    List<DemoPod> pods = new ArrayList<>();
    for (String name : wanted) {
      Workload w = workload(model, namespace, name).orElseThrow(() -> new IllegalArgumentException(
          "the manifests have no Deployment " + namespace + "/" + name + "; --workloads simulates the bundled"
              + " Online Boutique (manifests/examples/online-boutique)"));
      int port = 0;
      if (!name.equals(OnlineBoutique.LOAD_GENERATOR)) {
        port = firstTcpPort(w).orElseThrow(() -> new IllegalArgumentException(
            "Deployment " + namespace + "/" + name + " declares no TCP container port to serve on"));
      }
      String ip = InetAddressText.of(next);
      pods.add(new DemoPod(namespace, name, name + "-" + DemoPod.TEMPLATE_HASH + "-1", w.serviceAccount(), ip, port,
          w.podLabels()));
      next = next.clone();
      next[3]++;
      if (next[3] == 0) {
        throw new IllegalArgumentException("too few loopback addresses after " + firstAddress);
      }
    }
    List<OnlineBoutique.Service> running = new ArrayList<>();
    for (OnlineBoutique.Service s : services) {
      java.util.Map<String, List<OnlineBoutique.Call>> methods = new java.util.LinkedHashMap<>();
      s.methods().forEach((m, calls) -> methods.put(m, calls.stream().filter(c -> wanted.contains(c.callee())).toList()));
      running.add(new OnlineBoutique.Service(s.workload(), s.grpcService(), methods));
    }
    return new DemoPlan(namespace, pods, running);
  }

  /** The pod of a workload, if the plan runs it. */
  public Optional<DemoPod> pod(String workload) {
    return pods.stream().filter(p -> p.workload().equals(workload)).findFirst();
  }

  private static Optional<Workload> workload(ClusterModel model, String namespace, String name) {
    return model.workloads().stream()
        .filter(w -> w.namespace().equals(namespace) && w.name().equals(name)
            && w.kind() == io.meshwarden.model.WorkloadKind.Deployment)
        .findFirst();
  }

  private static Optional<Integer> firstTcpPort(Workload w) {
    for (Container c : w.containers()) {
      for (ContainerPort p : c.ports()) {
        if (p.protocol() == Protocol.TCP && p.port() > 0) {
          return Optional.of(p.port());
        }
      }
    }
    return Optional.empty();
  }

  private static byte[] address(String text) {
    InetAddress a;
    try {
      a = InetAddress.getByName(Objects.requireNonNull(text, "firstAddress"));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 address: " + text);
    }
    if (a.getAddress().length != 4 || !a.isLoopbackAddress() || !text.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
      throw new IllegalArgumentException("the simulated pods need IPv4 loopback addresses (127.x.y.z), not " + text);
    }
    return a.getAddress();
  }

  /** Dotted text of four bytes. */
  private static final class InetAddressText {
    private InetAddressText() {}

    static String of(byte[] b) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
  }
}
