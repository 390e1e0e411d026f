package io.meshwarden.ingest.traffic;

import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Service;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.ObservedFlow;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test inputs: the bundled fixtures, Bookinfo's manifests moved to another namespace, and small helpers. */
final class TrafficFixtures {
  static final String BOOKINFO =
      "../manifests/examples/istio-bookinfo/upstream/samples/bookinfo/platform/kube/bookinfo.yaml";

  private TrafficFixtures() {}

  static Path resource(String name) {
    try {
      return Path.of(TrafficFixtures.class.getResource("/observed-traffic/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path hubble(String file) {
    return resource("hubble-flows/" + file);
  }

  /**
   * Bookinfo's upstream manifests declare no namespace (they land in {@code default}); the Hubble
   * captures ran them in {@code bookinfo}. Apply them as {@code kubectl apply -n <namespace>} would.
   */
  static ClusterModel bookinfoIn(String namespace) throws Exception {
    ClusterModel loaded = new ManifestLoader(false).load(List.of(BOOKINFO)).model();
    ClusterModel.Builder b = ClusterModel.builder();
    for (Workload w : loaded.workloads()) {
      b.workload(new Workload(namespace, w.kind(), w.name(), w.podLabels(), w.containers(), w.serviceAccount(),
          w.hostNetwork(), w.replicas(), w.podIps(), w.origin()));
    }
    for (Service s : loaded.services()) {
      b.service(new Service(namespace, s.name(), s.type(), s.selector(), s.ports(), s.externalName(), s.origin()));
    }
    return b.build();
  }

  static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads text in one format and returns the flows, failing on nothing. */
  static Read read(Format format, String text) throws FlowReadException {
    List<ObservedFlow> flows = new ArrayList<>();
    ReadSummary s = new FlowReader(format, false, InputStream.nullInputStream()).read("test", stream(text), flows::add);
    return new Read(flows, s);
  }

  record Read(List<ObservedFlow> flows, ReadSummary summary) {}
}
