package io.meshwarden.ingest.traffic;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.GZIPInputStream;

/**
 * Splits a byte stream into lines without decoding it, in a buffer that never grows past the line
 * cap: memory stays constant however long the input. A line longer than the cap is consumed and
 * reported as {@link Status#TOO_LONG} instead of being buffered.
 */
final class LineReader {
  static final int DEFAULT_MAX_LINE = 1 << 20;

  /** What {@link #next(Line)} found. */
  enum Status {
    LINE,
    /** The last line of the input had no newline: possibly cut off mid-record. */
    UNTERMINATED,
    TOO_LONG,
    EOF
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;

  private final InputStream in;
  private final int maxLine;
  private byte[] buf = new byte[1 << 16];
  private int start;
  private int end;
  private int scanned;
  private boolean eof;
  private long lineNumber;
  private long bytes;

  LineReader(InputStream in, int maxLine) {
    this.in = in;
    this.maxLine = maxLine;
  }

  /** Wraps the stream in a gzip decoder when it starts with gzip's magic bytes, whatever its name. */
  static InputStream decompressing(InputStream raw) throws IOException {
    BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
    b.mark(2);
    int m1 = b.read();
    int m2 = b.read();
    b.reset();
    return m1 == 0x1f && m2 == 0x8b ? new GZIPInputStream(b, 1 << 16) : b;
  }

  long bytes() {
    return bytes;
  }

  /** Fills {@code line} with the next line (without its {@code \n} or {@code \r\n}). */
  Status next(Line line) throws IOException {
    while (true) {
      int i = newline(buf, scanned, end);
      if (i < end) {
        int len = i - start;
        if (len > 0 && buf[i - 1] == '\r') {
          len--;
        }
        set(line, start, len);
        start = i + 1;
        scanned = start;
        if (len > maxLine) {
          line.len = 0;
          return Status.TOO_LONG;
        }
        return Status.LINE;
      }
      scanned = end;
      if (end - start > maxLine) {
        lineNumber++;
        line.number = lineNumber;
        line.len = 0;
        skipRestOfLine();
        return Status.TOO_LONG;
      }
      if (eof) {
        if (start < end) {
          set(line, start, end - start);
          start = end;
          return Status.UNTERMINATED;
        }
        return Status.EOF;
      }
      fill();
    }
  }

  /**
   * The index of the first {@code \n} in {@code [from, to)}, or {@code to}. Eight bytes at a time:
   * splitting lines is otherwise a tenth of the ingestion time.
   */
  private static int newline(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long word = (long) LONGS.get(b, i) ^ NEWLINES;
      long found = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return to;
  }

  private void set(Line line, int off, int len) {
    lineNumber++;
    line.buf = buf;
    line.off = off;
    line.len = len;
    line.number = lineNumber;
  }

  private void fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      scanned -= start;
      start = 0;
    }
    if (end == buf.length) {
      byte[] bigger = new byte[Math.min(buf.length * 2, maxLine + 2)];
      System.arraycopy(buf, 0, bigger, 0, end);
      buf = bigger;
    }
    int n = in.read(buf, end, buf.length - end);
    if (n < 0) {
      eof = true;
    } else {
      end += n;
      bytes += n;
    }
  }

  private void skipRestOfLine() throws IOException {
    start = 0;
    end = 0;
    scanned = 0;
    while (true) {
      int n = in.read(buf, 0, buf.length);
      if (n < 0) {
        eof = true;
        return;
      }
      bytes += n;
      for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          start = i + 1;
          end = n;
          scanned = start;
          return;
        }
      }
    }
  }
}
