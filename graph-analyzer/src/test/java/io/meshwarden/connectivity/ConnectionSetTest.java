package io.meshwarden.connectivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.Protocol;
import org.junit.jupiter.api.Test;

class ConnectionSetTest {
  @Test
  void union_mergesAdjacentAndOverlappingRanges() {
    ConnectionSet s = ConnectionSet.range(Protocol.TCP, 80, 90).union(ConnectionSet.range(Protocol.TCP, 91, 100))
        .union(ConnectionSet.port(Protocol.TCP, 95)).union(ConnectionSet.port(Protocol.TCP, 443));
    assertEquals("TCP 80-100,443", s.toString());
  }

  @Test
  void threeFullProtocols_areAllConnections() {
    ConnectionSet s = ConnectionSet.allOf(Protocol.TCP).union(ConnectionSet.allOf(Protocol.UDP));
    assertEquals("TCP 1-65535,UDP 1-65535", s.toString());
    assertTrue(s.union(ConnectionSet.allOf(Protocol.SCTP)).isAll());
    assertEquals("All Connections", s.union(ConnectionSet.allOf(Protocol.SCTP)).toString());
  }

  @Test
  void subtract_splitsRanges_andKeepsOtherProtocols() {
    ConnectionSet s = ConnectionSet.ALL.subtract(ConnectionSet.port(Protocol.TCP, 80))
        .subtract(ConnectionSet.port(Protocol.UDP, 53)).subtract(ConnectionSet.port(Protocol.SCTP, 9003));
    assertEquals("SCTP 1-9002,9004-65535,TCP 1-79,81-65535,UDP 1-52,54-65535", s.toString());
    assertFalse(s.contains(Protocol.TCP, 80));
    assertTrue(s.contains(Protocol.TCP, 81));
  }

  @Test
  void intersect_isPerProtocol() {
    ConnectionSet a = ConnectionSet.range(Protocol.TCP, 1, 100).union(ConnectionSet.port(Protocol.UDP, 53));
    ConnectionSet b = ConnectionSet.range(Protocol.TCP, 50, 200).union(ConnectionSet.port(Protocol.UDP, 54));
    assertEquals("TCP 50-100", a.intersect(b).toString());
    assertTrue(a.intersect(ConnectionSet.NONE).isEmpty());
    assertEquals(a, a.intersect(ConnectionSet.ALL));
  }

  @Test
  void equalSets_areEqualWhateverTheirHistory() {
    ConnectionSet a = ConnectionSet.range(Protocol.TCP, 1, 10).subtract(ConnectionSet.range(Protocol.TCP, 5, 10));
    ConnectionSet b = ConnectionSet.range(Protocol.TCP, 1, 4);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertTrue(ConnectionSet.ALL.containsAll(b));
    assertFalse(b.containsAll(ConnectionSet.ALL));
  }
}
