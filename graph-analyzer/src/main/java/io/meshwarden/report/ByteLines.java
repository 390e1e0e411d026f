package io.meshwarden.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A write buffer of bytes for outputs of 10^8 lines: pieces are encoded once by the caller and
 * copied, so a line costs a few array copies, not a string. Writing fails with {@link
 * UncheckedIOException} (streams of lines are written from callbacks); {@link #flush()} rethrows
 * the {@link IOException}.
 */
public final class ByteLines {
  private static final int FLUSH_AT = 1 << 16;

  private final OutputStream out;
  private final byte[] buf = new byte[FLUSH_AT + 4096];
  private int pos;

  public ByteLines(OutputStream out) {
    this.out = out;
  }

  /** UTF-8 bytes of {@code s}, for pieces written many times. */
  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public ByteLines put(String s) {
    return put(bytes(s));
  }

  public ByteLines put(byte b) {
    if (pos == buf.length) {
      drain();
    }
    buf[pos++] = b;
    return this;
  }

  public ByteLines put(byte[] b) {
    if (pos + b.length > buf.length) {
      drain();
      if (b.length > buf.length) {
        write(b, 0, b.length);
        return this;
      }
    }
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
    if (pos >= FLUSH_AT) {
      drain();
    }
    return this;
  }

  /** Writes what is buffered and flushes the stream (which stays open). */
  public void flush() throws IOException {
    try {
      drain();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    out.flush();
  }

  private void drain() {
    write(buf, 0, pos);
    pos = 0;
  }

  private void write(byte[] b, int off, int len) {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
