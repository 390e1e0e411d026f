package io.meshwarden.connectivity;

import io.meshwarden.model.IpRange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class IpRangeTest {
  @Test
  void parseCidr_masksHostBits() {
    assertEquals("10.0.0.0-10.255.255.255", IpRange.parseCidr("10.1.2.3/8").toString());
    assertEquals("1.2.3.4-1.2.3.4", IpRange.parseCidr("1.2.3.4/32").toString());
    assertEquals(IpRange.ALL, IpRange.parseCidr("0.0.0.0/0"));
  }

  @Test
  void parseCidr_rejectsGarbage() {
    for (String bad : List.of("10.0.0.0", "10.0.0/8", "10.0.0.256/8", "10.0.0.0/33", "a.b.c.d/8", "10.0.0.0/-1", "")) {
      assertThrows(IllegalArgumentException.class, () -> IpRange.parseCidr(bad), bad);
    }
  }

  @Test
  void partition_cutsAtEveryBoundary() {
    List<IpRange> parts = IpPartition.of(IpPartition.minus(IpRange.parseCidr("10.0.0.0/8"),
        List.of(IpRange.parseCidr("10.10.0.0/16"))));
    assertEquals("[0.0.0.0-9.255.255.255, 10.0.0.0-10.9.255.255, 10.10.0.0-10.10.255.255, "
        + "10.11.0.0-10.255.255.255, 11.0.0.0-255.255.255.255]", parts.toString());
    assertEquals(List.of(IpRange.ALL), IpPartition.of(List.of()));
  }
}
