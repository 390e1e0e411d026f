package io.meshwarden.ingest.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meshwarden.traffic.ObservedFlow;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hubble labels are split once per distinct text and pod label sets shared: what an endpoint
 * says stays what the text says, past the table's bound too, and flows of one pod share one map.
 */
class HubbleLabelsTest {
  private static HubbleEndpoint.Label label(HubbleLabels labels, String text) {
    char[] padded = ("xx" + text + "yy").toCharArray();
    return labels.label(padded, 2, text.length());
  }

  @Test
  void eachLabelSaysWhatItsTextSays() {
    HubbleLabels labels = new HubbleLabels();
    HubbleEndpoint e = new HubbleEndpoint();
    for (String text : List.of("k8s:app=web", "reserved:world", "reserved:host", "k8s:io.cilium.k8s.policy.serviceaccount=sa",
        "k8s:io.kubernetes.pod.namespace=shop", "k8s:io.kubernetes.pod.namespace=other", "k8s:io.cilium.x=y",
        "container:foo=bar", "k8s:flag", "k8s:tier=db=1", "k8s:app=web")) {
      e.label(label(labels, text));
    }
    assertEquals(Map.of("app", "web", "flag", "", "tier", "db=1"), e.labels);
    assertEquals("world", e.reserved, "the first reserved label wins");
    assertEquals("shop", e.namespace, "the first namespace label wins");
    assertEquals("sa", e.serviceAccount);
  }

  @Test
  void aTextSeenBeforeIsNotSplitAgain_andTheBoundStartsTheTableOver() {
    HubbleLabels labels = new HubbleLabels();
    HubbleEndpoint.Label web = label(labels, "k8s:app=web");
    assertSame(web, label(labels, "k8s:app=web"));
    assertNotSame(web, label(labels, "k8s:app=db"));
    for (int i = 0; i < HubbleLabels.MAX + 10; i++) {
      HubbleEndpoint.Label l = label(labels, "k8s:app=svc-" + i);
      assertEquals("svc-" + i, l.value);
      assertSame(l, label(labels, "k8s:app=svc-" + i));
    }
    assertEquals("web", label(labels, "k8s:app=web").value);
  }

  private static HubbleEndpoint endpoint(HubbleLabels labels, String... texts) {
    HubbleEndpoint e = new HubbleEndpoint();
    for (String t : texts) {
      e.label(label(labels, t));
    }
    return e;
  }

  @Test
  void theSameLabelsAreOneImmutableMap() {
    HubbleLabels labels = new HubbleLabels();
    Map<String, String> a = labels.set(endpoint(labels, "k8s:app=web", "reserved:world", "k8s:tier=front"));
    assertSame(a, labels.set(endpoint(labels, "k8s:app=web", "k8s:tier=front")));
    assertEquals(Map.of("app", "web", "tier", "front"), a);
    assertThrows(UnsupportedOperationException.class, () -> a.put("x", "y"));
    assertEquals(Map.of("app", "web", "tier", "front"), labels.set(endpoint(labels, "k8s:tier=front", "k8s:app=web")));
    assertEquals(Map.of("app", "db"), labels.set(endpoint(labels, "k8s:app=web", "k8s:app=db")),
        "a key read twice keeps its last value, as the endpoint's own map does");
    assertEquals(Map.of("app", "web"), labels.set(endpoint(labels, "k8s:app=db", "k8s:app=web")));
    assertSame(Map.of(), labels.set(endpoint(labels, "reserved:host")));
    for (int i = 0; i < HubbleLabels.MAX + 10; i++) {
      assertEquals(Map.of("app", "svc-" + i), labels.set(endpoint(labels, "k8s:app=svc-" + i)));
    }
    assertEquals(a, labels.set(endpoint(labels, "k8s:app=web", "k8s:tier=front")));
  }

  @Test
  void flowsOfOnePodShareItsLabels() throws Exception {
    String line = "{\"flow\":{\"time\":\"2024-05-01T00:00:00Z\",\"verdict\":\"FORWARDED\","
        + "\"IP\":{\"source\":\"10.0.0.1\",\"destination\":\"10.0.0.2\"},"
        + "\"l4\":{\"TCP\":{\"source_port\":44016,\"destination_port\":8081,\"flags\":{\"SYN\":true}}},"
        + "\"source\":{\"namespace\":\"ns\",\"labels\":[\"k8s:app=a\",\"k8s:version=v1\"],\"pod_name\":\"a-1\"},"
        + "\"destination\":{\"namespace\":\"ns\",\"labels\":[\"k8s:app=b\"],\"pod_name\":\"b-1\"}}}\n";
    List<ObservedFlow> flows = new ArrayList<>();
    new FlowReader(Format.HUBBLE_JSON, true, new ByteArrayInputStream(new byte[0]))
        .read("flows.json", new ByteArrayInputStream((line + line).getBytes(StandardCharsets.UTF_8)), flows::add);
    assertEquals(2, flows.size());
    assertEquals(Map.of("app", "a", "version", "v1"), flows.get(0).source().labels());
    assertEquals(Map.of("app", "b"), flows.get(0).destination().labels());
    assertSame(flows.get(0).source().labels(), flows.get(1).source().labels());
    assertSame(flows.get(0).destination().labels(), flows.get(1).destination().labels());
  }
}
