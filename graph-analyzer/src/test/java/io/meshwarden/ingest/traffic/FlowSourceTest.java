package io.meshwarden.ingest.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwarden.traffic.FlowSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every flow says which kind of source recorded it: that decides what it may restrict. */
class FlowSourceTest {
  private static List<FlowSource> observers(Format f, String lines) throws Exception {
    return TrafficFixtures.read(f, lines).flows().stream().map(x -> x.observer()).toList();
  }

  @Test
  void envoyRecords_areNamedByTheSideTheirClusterNames_andWhetherTheyWereRequests() throws Exception {
    String tcpInbound = EnvoyJsonParserTest.INBOUND.replace("\"method\":\"GET\",", "").replace("\"path\":\"/reviews/0\",", "");
    String edge = EnvoyJsonParserTest.INBOUND.replace("\"upstream_cluster\":\"inbound|9080||\",", "");
    assertEquals(List.of(FlowSource.ENVOY_OUTBOUND_HTTP, FlowSource.ENVOY_INBOUND_HTTP, FlowSource.ENVOY_INBOUND_TCP,
        FlowSource.ENVOY_EDGE), observers(Format.ENVOY_JSON,
        String.join("\n", EnvoyJsonParserTest.OUTBOUND, EnvoyJsonParserTest.INBOUND, tcpInbound, edge) + "\n"));
  }

  @Test
  void visibility_isData_inboundLogsSeeTheServersIngressOnLoggedPorts_hubbleSeesBothDirectionsOnEveryPort() {
    assertEquals(List.of(true, false, false), see(FlowSource.ENVOY_INBOUND_HTTP));
    assertEquals(List.of(false, true, false), see(FlowSource.ENVOY_OUTBOUND_TCP));
    assertEquals(List.of(true, true, true), see(FlowSource.HUBBLE));
    assertEquals(List.of(false, false, false), see(FlowSource.ENVOY_EDGE));
    assertEquals(List.of(false, false, false), see(FlowSource.UNKNOWN));
  }

  private static List<Boolean> see(FlowSource s) {
    return List.of(s.seesServerIngress(), s.seesClientEgress(), s.seesEveryPort());
  }
}
