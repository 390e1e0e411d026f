package io.meshwarden.als;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.meshwarden.aggregate.NodeIdentity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeIdentitiesTest {
  @Test
  void metadataNamesTheNode() {
    Struct labels = Struct.newBuilder().putFields("app", Value.newBuilder().setStringValue("cart").build()).build();
    Node node = AlsMessages.node("shop", "cart-7d9f8c6b5d-abcde", "cart", "10.0.0.7").toBuilder()
        .setMetadata(AlsMessages.node("shop", "cart-7d9f8c6b5d-abcde", "cart", "10.0.0.7").getMetadata().toBuilder()
            .putFields("WORKLOAD_NAME", Value.newBuilder().setStringValue("cart").build())
            .putFields("LABELS", Value.newBuilder().setStructValue(labels).build()))
        .build();
    NodeIdentity id = NodeIdentities.of(node);
    assertEquals("shop", id.namespace());
    assertEquals("cart-7d9f8c6b5d-abcde", id.podName());
    assertEquals("cart", id.serviceAccount());
    assertEquals("cart", id.workloadHint());
    assertEquals(Map.of("app", "cart"), id.labels());
    assertEquals("10.0.0.7", id.ip());
  }

  @Test
  void istioNodeIdAloneIsEnough_namespaceAfterTheLastDot() {
    NodeIdentity id = NodeIdentities.of(Node.newBuilder()
        .setId("sidecar~10.8.0.12~cart.v2-6b9d7c8f5-q2z.default~default.svc.cluster.local").build());
    assertEquals("default", id.namespace());
    assertEquals("cart.v2-6b9d7c8f5-q2z", id.podName());
    assertEquals("10.8.0.12", id.ip());
    assertNull(id.serviceAccount());
  }

  @Test
  void metadataWinsOverTheNodeId() {
    Node node = AlsMessages.node("shop", "real-pod", "sa", "10.0.0.1").toBuilder()
        .setId("sidecar~10.0.0.1~other-pod.other~other.svc.cluster.local").build();
    NodeIdentity id = NodeIdentities.of(node);
    assertEquals("shop", id.namespace());
    assertEquals("real-pod", id.podName());
  }
}
