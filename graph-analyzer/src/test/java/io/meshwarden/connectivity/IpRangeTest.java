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

  @Test
  void ipv6_parsesEveryTextFormAndPrintsRfc5952() {
    assertEquals("fd00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", IpRange.parseCidr("fd00::/8").toString());
    assertEquals("2001:db8::1-2001:db8::1", IpRange.parseCidr("2001:0DB8:0:0:0:0:0:1/128").toString());
    assertEquals("::ffff:a00:0-::ffff:aff:ffff", IpRange.parseCidr("::ffff:10.0.0.0/104").toString());
    assertEquals("2001:db8:0:1::-2001:db8:0:1::", IpRange.parseCidr("2001:db8:0:1:0:0:0:0/128").toString(),
        "the longest run of zeros is the one shortened");
    assertEquals("1:0:1::1-1:0:1::1", IpRange.parseCidr("1:0:1:0:0:0:0:1/128").toString());
    assertEquals(IpRange.ALL_IPV6, IpRange.parseCidr("::/0"));
    assertEquals("fd00::/8", IpRange.parseCidr("fd12:3456::1/8").toCidr());
    assertEquals("fd00::5", IpRange.canonicalAddress("fd00:0:0::0005"));
    assertEquals("10.0.0.5", IpRange.canonicalAddress("::ffff:10.0.0.5"), "a dual-stack socket's IPv4 peer");
  }

  @Test
  void ipv6_rejectsGarbage() {
    for (String bad : List.of("zc00::/8", "fd00::/129", "fd00:::1/64", "1::2::3/64", "12345::/16", "1:2:3:4:5:6:7:8:9/64",
        "1:2:3:4:5:6:7/64", "fe80::1%eth0/64", "::ffff:1.2.3/128", "fd00::")) {
      assertThrows(IllegalArgumentException.class, () -> IpRange.parseCidr(bad), bad);
    }
  }

  @Test
  void familiesNeverOverlap_andIpv4SortsFirst() {
    IpRange v4 = IpRange.ALL;
    IpRange v6 = IpRange.ALL_IPV6;
    assertEquals(false, v4.overlaps(v6));
    assertEquals(false, v6.contains(IpRange.parseCidr("10.0.0.0/8")));
    assertEquals(-1, Integer.signum(v4.compareTo(v6)));
  }

  @Test
  void partition_coversIpv6OnlyWhenARangeIsIpv6() {
    List<IpRange> parts = IpPartition.of(IpPartition.minus(IpRange.parseCidr("fd00::/8"),
        List.of(IpRange.parseCidr("fd00:1::/32"))));
    assertEquals("[0.0.0.0-255.255.255.255, ::-fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, "
        + "fd00::-fd00:0:ffff:ffff:ffff:ffff:ffff:ffff, fd00:1::-fd00:1:ffff:ffff:ffff:ffff:ffff:ffff, "
        + "fd00:2::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, fe00::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]",
        parts.toString());
    assertEquals(List.of(IpRange.ALL, IpRange.ALL_IPV6), IpPartition.of(List.of(IpRange.ALL_IPV6)));
  }
}
