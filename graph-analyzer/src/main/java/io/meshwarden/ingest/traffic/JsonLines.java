package io.meshwarden.ingest.traffic;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.RecyclerPool;

/**
 * One streaming parser per line, over the line's bytes in place. A parser per line (rather than one
 * over the whole file) costs a little, but a truncated or garbled object then spoils only its own
 * line.
 */
final class JsonLines {
  private final JsonFactory factory = JsonFactory.builder().recyclerPool(new OneBuffer()).build();

  JsonParser open(Line line) throws BadRecord {
    JsonParser p = factory.createParser(ObjectReadContext.empty(), line.buf, line.off, line.len);
    if (p.nextToken() != JsonToken.START_OBJECT) {
      p.close();
      throw new BadRecord("not a JSON object");
    }
    return p;
  }

  /** After the root object: anything but whitespace is a second value glued to the line. */
  static void expectEnd(JsonParser p) throws BadRecord {
    if (p.nextToken() != null) {
      throw new BadRecord("more than one JSON value on the line");
    }
  }

  static BadRecord bad(JacksonException e) {
    String m = e.getOriginalMessage();
    int nl = m == null ? -1 : m.indexOf('\n');
    return new BadRecord("invalid JSON: " + Text.clip(nl >= 0 ? m.substring(0, nl) : String.valueOf(m)));
  }

  /** Passes over the current value without decoding it: most of a record is never looked at. */
  static void skip(JsonParser p, JsonToken t) {
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      p.skipChildren();
    }
  }

  /** The scalar at the current token as text, or null for null, objects and arrays (skipped). */
  static String scalar(JsonParser p, JsonToken t) {
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    return t == JsonToken.VALUE_NULL ? null : p.getString();
  }

  /**
   * Lends every parser of one reader the same buffers. Jackson's default pool is a concurrent deque
   * shared by all threads: taking from it and giving back cost more than a line's parser itself.
   * Parsers here live one at a time on one thread, so one pooled recycler is enough; should two
   * ever overlap, the second simply gets fresh buffers.
   */
  private static final class OneBuffer implements RecyclerPool<BufferRecycler> {
    private static final long serialVersionUID = 1L;
    private transient BufferRecycler idle;

    @Override
    public BufferRecycler acquirePooled() {
      BufferRecycler r = idle;
      idle = null;
      return r != null ? r : new BufferRecycler();
    }

    @Override
    public void releasePooled(BufferRecycler r) {
      idle = r;
    }
  }
}
