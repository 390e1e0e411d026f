package io.meshwarden.connectivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.Protocol;
import java.util.Random;
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

  @Test
  void setsWhoseNamesCancelOut_equalTheEmptySet_hashesIncluded() {
    ConnectionSet named = ConnectionSet.named(Protocol.TCP, "http");
    ConnectionSet none = named.subtract(named);
    assertEquals(ConnectionSet.NONE, none);
    assertEquals(ConnectionSet.NONE.hashCode(), none.hashCode());
  }

  @Test
  void unionAndIntersect_withACoveredOperand_returnTheOperandItself() {
    ConnectionSet wide = ConnectionSet.range(Protocol.TCP, 1, 1000).union(ConnectionSet.port(Protocol.UDP, 53));
    ConnectionSet narrow = ConnectionSet.port(Protocol.TCP, 1000);
    assertSame(narrow, narrow.intersect(wide));
    assertSame(narrow, wide.intersect(narrow));
    assertSame(wide, wide.union(narrow));
    assertSame(wide, narrow.union(wide));
    assertSame(narrow, narrow.intersect(ConnectionSet.ALL));
  }

  @Test
  void unionIntersectSubtract_agreeWithPortByPortSets() {
    Random random = new Random(8);
    for (int t = 0; t < 2000; t++) {
      boolean[][] a = randomPorts(random);
      boolean[][] b = randomPorts(random);
      ConnectionSet x = of(a);
      ConnectionSet y = of(b);
      boolean[][] union = new boolean[3][41];
      boolean[][] both = new boolean[3][41];
      boolean[][] minus = new boolean[3][41];
      for (int p = 0; p < 3; p++) {
        for (int port = 1; port <= 40; port++) {
          union[p][port] = a[p][port] || b[p][port];
          both[p][port] = a[p][port] && b[p][port];
          minus[p][port] = a[p][port] && !b[p][port];
        }
      }
      assertEquals(of(union), x.union(y));
      assertEquals(of(both), x.intersect(y));
      assertEquals(of(minus), x.subtract(y));
      assertEquals(of(union).toString(), x.union(y).toString());
      assertEquals(of(both).toString(), x.intersect(y).toString());
    }
  }

  private static boolean[][] randomPorts(Random random) {
    boolean[][] ports = new boolean[3][41];
    for (boolean[] p : ports) {
      int runs = random.nextInt(4);
      for (int r = 0; r < runs; r++) {
        int lo = 1 + random.nextInt(40);
        int hi = Math.min(40, lo + random.nextInt(8));
        for (int port = lo; port <= hi; port++) {
          p[port] = true;
        }
      }
    }
    return ports;
  }

  /** The set built port by port, as single-port sets united one at a time. */
  private static ConnectionSet of(boolean[][] ports) {
    ConnectionSet out = ConnectionSet.NONE;
    for (Protocol protocol : Protocol.values()) {
      for (int port = 1; port <= 40; port++) {
        if (ports[protocol.ordinal()][port]) {
          out = out.union(ConnectionSet.port(protocol, port));
        }
      }
    }
    return out;
  }
}
