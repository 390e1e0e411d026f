package io.meshwarden.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.ingest.traffic.Format;
import io.meshwarden.ingest.traffic.TrafficLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.EdgeStats;
import io.meshwarden.traffic.FlowSource;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evidence before policy: no usable flow, no proposal; no flow for a workload, no policy for it. */
class EvidenceTest {
  private static final String HUBBLE = "src/test/resources/observed-traffic/hubble-flows/basic-sample-400-tcp-flows.json";
  @TempDir Path tmp;

  private static TrafficModel load(ClusterModel m, Format format, String... files) throws Exception {
    return TrafficLoader.load(List.of(files), m, TrafficLoader.Options.defaults().withFormat(format)).traffic();
  }

  @Test
  void emptyFile_isRefused_namingIt() throws Exception {
    ClusterModel m = PolicySynthesizerTest.boutique();
    Path empty = Files.writeString(tmp.resolve("empty.jsonl"), "");
    PolicySynthesizer.Result r = PolicySynthesizer.synthesize(m, load(m, Format.AUTO, empty.toString()),
        PolicySynthesizer.Options.defaults());
    assertTrue(r.refusal().isPresent());
    assertTrue(r.refusal().get().message().contains(empty + ": empty"), r.refusal().get().message());
    assertEquals(List.of(), r.policies().policies(), "a refused proposal restricts nothing");
  }

  @Test
  void binaryFile_isRefused_withItsBadLineCount() throws Exception {
    ClusterModel m = PolicySynthesizerTest.boutique();
    byte[] junk = new byte[4096];
    new java.util.Random(7).nextBytes(junk);
    Path bin = Files.write(tmp.resolve("flows.bin"), junk);
    TrafficModel t = load(m, Format.AUTO, bin.toString());
    Optional<NoEvidence> no = EvidenceCheck.check(t);
    assertTrue(no.isPresent());
    String msg = no.get().message();
    assertTrue(msg.contains(bin.toString()) && msg.contains(t.badRecordCount() + " bad"), msg);
    assertTrue(t.badRecordCount() > 0);
    assertFalse(msg.contains("looks like"), "no format reads random bytes: " + msg);
  }

  @Test
  void hubbleFileReadAsEnvoyJson_isRefused_withTheFlagThatReadsIt() throws Exception {
    ClusterModel m = PolicySynthesizerTest.boutique();
    TrafficModel t = load(m, Format.ENVOY_JSON, HUBBLE);
    String msg = EvidenceCheck.check(t).orElseThrow().message();
    assertTrue(msg.contains(HUBBLE) && msg.contains("looks like Hubble JSON; use --flow-format hubble"), msg);
    assertTrue(msg.contains(t.badRecordCount() + " bad") && t.badRecordCount() > 0, msg);
    assertTrue(EvidenceCheck.check(load(m, Format.HUBBLE_JSON, HUBBLE)).isEmpty(), "read right, it is evidence");
  }

  @Test
  void oneInputThatYieldedNothing_refusesTheWholeProposal() throws Exception {
    ClusterModel m = PolicySynthesizerTest.boutique();
    Path garbage = Files.writeString(tmp.resolve("garbage.log"), "hello\nworld\n");
    TrafficModel t = load(m, Format.AUTO, "../manifests/examples/online-boutique/flows/envoy-inbound-access-log.jsonl",
        garbage.toString());
    String msg = EvidenceCheck.check(t).orElseThrow().message();
    assertTrue(msg.contains(garbage + ": 2 record(s), 2 bad, no flow"), msg);
  }

  @Test
  void flowsOfAnotherCluster_areNoEvidenceForThisOne() throws Exception {
    ClusterModel m = PolicySynthesizerTest.boutique();
    Instant t = Instant.parse("2026-11-20T09:00:00Z");
    TrafficModel foreign = new TrafficModel(List.of(new ObservedEdge(new EdgeKey(PeerRef.external("10.9.9.9"),
        PeerRef.workload("other/Deployment/x"), Protocol.TCP, 80, null, null),
        new EdgeStats(3, 0, t, t, 0, new Origin("f", 1), Set.of(FlowSource.HUBBLE)))), 3, List.of(), 0, Map.of());
    assertTrue(PolicySynthesizer.synthesize(m, foreign, PolicySynthesizer.Options.defaults()).refusal().isPresent());
    assertTrue(PolicySynthesizer.synthesize(m, TrafficModel.empty(), PolicySynthesizer.Options.defaults()).refusal()
        .isPresent());
  }
}
