package io.meshwarden.sidecar.rbac.eval;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address as 128 bits (IPv4 in the low 32), parsed once so matching is arithmetic. */
record Ip(boolean v6, long hi, long lo) {

  static Ip parse(String s) {
    if (s.indexOf(':') < 0) {
      return new Ip(false, 0, parseV4(s) & 0xffffffffL);
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      // Only literals: InetAddress would otherwise resolve host names.
      if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        throw new IllegalArgumentException("not an IP address: " + s);
      }
    }
    try {
      byte[] b = InetAddress.getByName(s).getAddress();
      if (b.length == 4) {
        return new Ip(false, 0, ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL));
      }
      long hi = 0;
      long lo = 0;
      for (int i = 0; i < 8; i++) {
        hi = (hi << 8) | (b[i] & 0xff);
        lo = (lo << 8) | (b[i + 8] & 0xff);
      }
      return new Ip(true, hi, lo);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + s, e);
    }
  }

  private static int parseV4(String s) {
    int value = 0;
    int octet = -1;
    int dots = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (octet < 0) {
          throw new IllegalArgumentException("not an IP address: " + s);
        }
        value = (value << 8) | octet;
        octet = -1;
        dots++;
      } else if (c >= '0' && c <= '9') {
        octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
        if (octet > 255) {
          throw new IllegalArgumentException("not an IP address: " + s);
        }
      } else {
        throw new IllegalArgumentException("not an IP address: " + s);
      }
    }
    if (dots != 3 || octet < 0) {
      throw new IllegalArgumentException("not an IP address: " + s);
    }
    return (value << 8) | octet;
  }
}
