package io.meshwarden.xds;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;

/**
 * Versions that depend on content only: the same resources give the same versions after a restart
 * and on every replica, so a restart pushes nothing. java-control-plane's default uses
 * {@code hashCode()}, which differs per JVM.
 */
final class Versions {
  private Versions() {}

  /** SHA-256 of the resource's deterministic serialization (map entries in key order). */
  static String resource(Message m) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(m.getSerializedSize());
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    try {
      m.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return hex(digest().digest(bytes.toByteArray()));
  }

  /** SHA-256 over the sorted {@code name=version} pairs. */
  static String of(SortedMap<String, String> nameToVersion) {
    MessageDigest d = digest();
    for (Map.Entry<String, String> e : nameToVersion.entrySet()) {
      d.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      d.update((byte) '=');
      d.update(e.getValue().getBytes(StandardCharsets.UTF_8));
      d.update((byte) '\n');
    }
    return hex(d.digest());
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
