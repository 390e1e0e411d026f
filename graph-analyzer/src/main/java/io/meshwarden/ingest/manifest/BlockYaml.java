package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Reads the YAML that kubectl, Helm and generators print — block mappings and sequences, plain and
 * quoted scalars on one line, flow collections on one line, comments, {@code ---} between
 * documents — into exactly the documents snakeyaml's composer and {@link YamlDocuments} make of it:
 * the same maps, lists and scalars (plain scalars resolved by the same core-schema resolver), the
 * same line for every mapping and key.
 *
 * <p>Why a second reader: a command reads 10 to 35 MB of manifests in a fresh JVM, where
 * snakeyaml's general scanner runs interpreted and competes with the JIT for the cores; this one
 * is a few small loops over the text. It declines (returns null) on anything outside that subset
 * or anything wrong — anchors, aliases, tags, block scalars, scalars over several lines,
 * directives, tabs, control characters, templates, duplicate keys, bad indentation, deep nesting,
 * long values — and the caller then reads the text with snakeyaml, which reads all of YAML and
 * names the line of every error. So what it accepts it reads as snakeyaml would, and everything
 * else behaves as before.
 */
final class BlockYaml {
  /** Deeper nesting is left to the general reader, which enforces the limit with its message. */
  private static final int MAX_DEPTH = 64;

  /** Thrown inside to give up; never escapes {@link #read}. */
  private static final class Declined extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Declined() {
      super(null, null, false, false);
    }
  }

  private static final Declined DECLINED = new Declined();

  private final String file;
  private final String text;
  private final int linesBefore;
  private final ScalarResolver resolver;
  /** Start and end (exclusive, before the line break) of every line. */
  private final int[] starts;
  private final int[] ends;
  private final int lineCount;
  private int li;

  private BlockYaml(String file, String text, int linesBefore, ScalarResolver resolver) {
    this.file = file;
    this.text = text;
    this.linesBefore = linesBefore;
    this.resolver = resolver;
    int n = 1;
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      n++;
    }
    starts = new int[n];
    ends = new int[n];
    int s = 0;
    int k = 0;
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      starts[k] = s;
      // CR LF is one line break to YAML.
      ends[k++] = i > s && text.charAt(i - 1) == '\r' ? i - 1 : i;
      s = i + 1;
    }
    starts[k] = s;
    ends[k] = text.length();
    lineCount = n;
  }

  /**
   * Hands the documents of {@code text} (the lines of a stream after its first {@code linesBefore})
   * to {@code sink} one at a time, as snakeyaml's composer
   * does, and returns true; or returns false, having handed over nothing, when this reader declines
   * the text. The text is read twice, first only to know it is accepted: holding every document of
   * a file until its end would make memory grow with the file, and a command must stream a cluster
   * through a heap smaller than its manifests' trees.
   */
  static boolean read(String file, String text, int linesBefore, ScalarResolver resolver,
      Consumer<YamlDocuments.Document> sink) {
    if (!plainCharacters(text)) {
      return false;
    }
    BlockYaml reader = new BlockYaml(file, text, linesBefore, resolver);
    try {
      reader.documents(d -> { });
    } catch (Declined e) {
      return false;
    }
    // Accepted once, accepted again: reading is a function of the text.
    reader.documents(sink);
    return true;
  }

  /**
   * Whether the text has only characters this reader handles like snakeyaml: no tab, carriage
   * return but before a line feed, byte-order mark, control or non-BMP character, and no template
   * braces.
   */
  private static boolean plainCharacters(String text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 ? c != '\n' && (c != '\r' || i + 1 == n || text.charAt(i + 1) != '\n') : c >= 0x7F && (c <= 0x9F || c == 0x2028 || c == 0x2029 || c >= 0xD800 && c <= 0xDFFF
          || c == 0xFEFF || c >= 0xFFFE)) {
        return false;
      }
    }
    return !text.contains("{{");
  }

  private void documents(Consumer<YamlDocuments.Document> out) {
    li = 0;
    skipBlank();
    while (li < lineCount) {
      if (isDocumentStart(li)) {
        li++;
        skipBlank();
        if (li == lineCount || isDocumentStart(li)) {
          // An explicit document with nothing in it: snakeyaml composes an empty scalar, placed
          // where the next token (a marker, or the end) starts.
          out.accept(new YamlDocuments.Document(null, new Origin(file, lineNumber(Math.min(li, lineCount - 1)))));
        }
        continue;
      }
      if (isMarker(li)) {
        throw DECLINED;
      }
      int col = indent(li);
      int line = lineNumber(li);
      Object body;
      if (isDash(li, starts[li] + col)) {
        body = sequence(col, 0);
      } else if (keyEnd(li, starts[li] + col) >= 0) {
        body = mapping(starts[li] + col, col, 0);
      } else {
        throw DECLINED;
      }
      out.accept(new YamlDocuments.Document(body, new Origin(file, line)));
      // A document ends at a marker or the end; anything else means the root was mis-indented.
      if (li < lineCount && !isDocumentStart(li)) {
        throw DECLINED;
      }
    }
  }

  /** A block mapping whose first key starts at {@code pos} on the current line, its keys at column {@code col}. */
  private Node mapping(int pos, int col, int depth) {
    if (depth > MAX_DEPTH) {
      throw DECLINED;
    }
    Node map = new Node(lineNumber(li));
    while (true) {
      int colon = keyEnd(li, pos);
      if (colon < 0) {
        throw DECLINED;
      }
      String key = String.valueOf(key(pos, colon));
      if (key.equals("<<") || map.containsKey(key)) {
        throw DECLINED;
      }
      int keyLine = lineNumber(li);
      int p = skipSpaces(colon + 1, ends[li]);
      Object value;
      if (p == ends[li] || text.charAt(p) == '#') {
        li++;
        skipBlank();
        if (li < lineCount && !isMarker(li) && indent(li) > col) {
          value = block(depth + 1);
        } else if (li < lineCount && !isMarker(li) && indent(li) == col && isDash(li, starts[li] + col)) {
          value = sequence(col, depth + 1);
        } else {
          value = null;
        }
      } else {
        value = inline(p, col, depth + 1);
        skipBlank();
      }
      map.putAt(key, value, keyLine);
      if (li >= lineCount || isMarker(li)) {
        return map;
      }
      int ind = indent(li);
      if (ind < col) {
        return map;
      }
      if (ind > col || isDash(li, starts[li] + col)) {
        throw DECLINED;
      }
      pos = starts[li] + col;
    }
  }

  /** A block sequence whose dashes stand at column {@code col}, the first on the current line. */
  private List<Object> sequence(int col, int depth) {
    if (depth > MAX_DEPTH) {
      throw DECLINED;
    }
    List<Object> list = new ArrayList<>();
    while (true) {
      int p = skipSpaces(starts[li] + col + 1, ends[li]);
      Object item;
      if (p == ends[li] || text.charAt(p) == '#') {
        li++;
        skipBlank();
        item = li < lineCount && !isMarker(li) && indent(li) > col ? block(depth + 1) : null;
      } else if (isDash(li, p)) {
        throw DECLINED;
      } else if (keyEnd(li, p) >= 0) {
        // A compact mapping: its first key shares the dash's line, the others align with it.
        item = mapping(p, p - starts[li], depth + 1);
      } else {
        item = inline(p, col, depth + 1);
        skipBlank();
      }
      list.add(item);
      if (li >= lineCount || isMarker(li)) {
        return list;
      }
      int ind = indent(li);
      if (ind > col) {
        throw DECLINED;
      }
      if (ind < col || !isDash(li, starts[li] + col)) {
        return list;
      }
    }
  }

  /** The block node that starts on the current line. */
  private Object block(int depth) {
    int col = indent(li);
    int pos = starts[li] + col;
    if (isDash(li, pos)) {
      return sequence(col, depth);
    }
    if (keyEnd(li, pos) >= 0) {
      return mapping(pos, col, depth);
    }
    throw DECLINED;
  }

  /**
   * A value that starts at {@code p} on the current line, in a block whose entries stand at column
   * {@code col}: on this line, followed by nothing or a comment, or a literal block scalar. The
   * current line moves past it.
   */
  private Object inline(int p, int col, int depth) {
    int end = ends[li];
    char c = text.charAt(p);
    if (c == '|') {
      return literal(p, col);
    }
    Object v = sameLine(p, end, c, depth);
    li++;
    return v;
  }

  private Object sameLine(int p, int end, char c, int depth) {
    if (c == '"' || c == '\'') {
      int[] next = new int[1];
      String s = quoted(p, end, next);
      expectEnd(next[0], end);
      return s;
    }
    if (c == '[' || c == '{') {
      int[] next = new int[1];
      Object v = flow(p, end, next, depth);
      expectEnd(next[0], end);
      return v;
    }
    if (!plainStart(p, end)) {
      throw DECLINED;
    }
    int stop = plainEnd(p, end);
    String v = text.substring(p, trimEnd(p, stop));
    // "a: b: c" is an error, "a: b:" ambiguous; both are left to snakeyaml.
    if (v.endsWith(":") || v.contains(": ")) {
      throw DECLINED;
    }
    return plain(v);
  }

  /**
   * A literal block scalar ({@code |}, {@code |-}, {@code |+}) whose header is at {@code p}, inside
   * a block at column {@code col}: its lines, indented as its first non-empty line, joined by line
   * feeds, with the final line breaks its chomping keeps. Explicit indentation, an empty scalar,
   * leading blank lines longer than the indentation and a last line without a line break are left
   * to snakeyaml.
   */
  private String literal(int p, int col) {
    int end = ends[li];
    int q = p + 1;
    char chomp = q < end && (text.charAt(q) == '-' || text.charAt(q) == '+') ? text.charAt(q++) : ' ';
    if (q < end && text.charAt(q) != ' ') {
      throw DECLINED;
    }
    expectEnd(q, end);
    int first = li + 1;
    int k = first;
    int leading = 0;
    while (k < lineCount && isSpaces(k)) {
      leading = Math.max(leading, ends[k] - starts[k]);
      k++;
    }
    if (k == lineCount) {
      throw DECLINED;
    }
    int n = indent(k);
    if (n <= col || leading > n) {
      throw DECLINED;
    }
    int lastContent = -1;
    int line = first;
    for (; line < lineCount; line++) {
      if (isSpaces(line)) {
        if (ends[line] - starts[line] > n) {
          throw DECLINED;
        }
      } else if (indent(line) >= n) {
        lastContent = line;
      } else {
        break;
      }
    }
    if (ends[lastContent] == text.length() || ends[lastContent] - starts[lastContent] - n > YamlDocuments.MAX_SCALAR_CHARS) {
      throw DECLINED;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = first; i <= lastContent; i++) {
      if (!isSpaces(i)) {
        sb.append(text, starts[i] + n, ends[i]);
      }
      if (i < lastContent) {
        sb.append('\n');
      }
      if (sb.length() > YamlDocuments.MAX_SCALAR_CHARS) {
        throw DECLINED;
      }
    }
    if (chomp != '-') {
      sb.append('\n');
    }
    if (chomp == '+') {
      for (int i = lastContent + 1; i < line; i++) {
        if (ends[i] == text.length()) {
          throw DECLINED;
        }
        sb.append('\n');
      }
    }
    li = line;
    return sb.toString();
  }

  /** A line of spaces only (or nothing). */
  private boolean isSpaces(int line) {
    return skipSpaces(starts[line], ends[line]) == ends[line];
  }

  /** Nothing but spaces and a comment from {@code p} to {@code end}. */
  private void expectEnd(int p, int end) {
    int q = skipSpaces(p, end);
    if (q < end && (text.charAt(q) != '#' || q == p)) {
      throw DECLINED;
    }
  }

  /** A flow collection on one line, starting at {@code p}; {@code next[0]} receives the position after it. */
  private Object flow(int p, int end, int[] next, int depth) {
    if (depth > MAX_DEPTH) {
      throw DECLINED;
    }
    boolean isMap = text.charAt(p) == '{';
    char close = isMap ? '}' : ']';
    Node map = isMap ? new Node(lineNumber(li)) : null;
    List<Object> list = isMap ? null : new ArrayList<>();
    int q = skipSpaces(p + 1, end);
    if (q < end && text.charAt(q) == close) {
      next[0] = q + 1;
      return isMap ? map : list;
    }
    while (true) {
      if (q >= end) {
        throw DECLINED;
      }
      if (isMap) {
        int[] after = new int[1];
        Object k = flowScalar(q, end, after, true);
        int colon = after[0];
        if (colon >= end || text.charAt(colon) != ':') {
          throw DECLINED;
        }
        String key = String.valueOf(k);
        if (key.equals("<<") || map.containsKey(key)) {
          throw DECLINED;
        }
        q = skipSpaces(colon + 1, end);
        if (q == colon + 1 && q < end && text.charAt(q) != ',' && text.charAt(q) != '}') {
          throw DECLINED;
        }
        Object v;
        if (q >= end) {
          throw DECLINED;
        }
        if (text.charAt(q) == ',' || text.charAt(q) == '}') {
          v = null;
        } else {
          v = flowValue(q, end, after, depth + 1);
          q = after[0];
        }
        map.putAt(key, v, lineNumber(li));
      } else {
        int[] after = new int[1];
        list.add(flowValue(q, end, after, depth + 1));
        q = after[0];
      }
      q = skipSpaces(q, end);
      if (q >= end) {
        throw DECLINED;
      }
      char c = text.charAt(q);
      if (c == close) {
        next[0] = q + 1;
        return isMap ? map : list;
      }
      if (c != ',') {
        throw DECLINED;
      }
      q = skipSpaces(q + 1, end);
      if (q < end && text.charAt(q) == close) {
        // A trailing comma: legal, but left to snakeyaml.
        throw DECLINED;
      }
    }
  }

  private Object flowValue(int q, int end, int[] after, int depth) {
    char c = text.charAt(q);
    if (c == '[' || c == '{') {
      return flow(q, end, after, depth);
    }
    Object v = flowScalar(q, end, after, false);
    after[0] = skipSpaces(after[0], end);
    return v;
  }

  /**
   * A scalar inside a flow collection: quoted, or plain up to {@code , [ ] { }}, a comment, or (a
   * key) {@code :}; {@code after[0]} receives the position after it, spaces skipped for a key.
   */
  private Object flowScalar(int q, int end, int[] after, boolean key) {
    char c = text.charAt(q);
    if (c == '"' || c == '\'') {
      String s = quoted(q, end, after);
      if (key) {
        after[0] = skipSpaces(after[0], end);
      }
      return s;
    }
    if (!plainStart(q, end) || c == '-' && q + 1 < end && ",[]{}".indexOf(text.charAt(q + 1)) >= 0) {
      throw DECLINED;
    }
    int i = q;
    while (i < end) {
      char d = text.charAt(i);
      if (d == ',' || d == '[' || d == ']' || d == '{' || d == '}') {
        break;
      }
      if (d == ':' && (i + 1 == end || " ,[]{}".indexOf(text.charAt(i + 1)) >= 0)) {
        if (!key) {
          throw DECLINED;
        }
        break;
      }
      if (d == '#' && text.charAt(i - 1) == ' ') {
        throw DECLINED;
      }
      i++;
    }
    after[0] = key ? skipSpaces(i, end) : i;
    if (i < end && (text.charAt(i) == '[' || text.charAt(i) == '{')) {
      throw DECLINED;
    }
    return plain(text.substring(q, trimEnd(q, i)));
  }

  /** A quoted scalar starting at {@code p}, closed on this line; {@code next[0]} receives the position after it. */
  private String quoted(int p, int end, int[] next) {
    char quote = text.charAt(p);
    StringBuilder sb = null;
    int from = p + 1;
    for (int i = p + 1; i < end; i++) {
      char c = text.charAt(i);
      if (quote == '\'' && c == '\'') {
        if (i + 1 < end && text.charAt(i + 1) == '\'') {
          sb = append(sb, from, i + 1);
          from = i + 2;
          i++;
          continue;
        }
        next[0] = i + 1;
        return sb == null ? text.substring(from, i) : append(sb, from, i).toString();
      }
      if (i - p > YamlDocuments.MAX_SCALAR_CHARS) {
        throw DECLINED;
      }
      if (quote == '"' && c == '"') {
        next[0] = i + 1;
        return sb == null ? text.substring(from, i) : append(sb, from, i).toString();
      }
      if (quote == '"' && c == '\\') {
        sb = append(sb, from, i);
        if (i + 1 >= end) {
          throw DECLINED;
        }
        char e = text.charAt(++i);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case '0' -> sb.append('\0');
          case 'u' -> {
            if (i + 4 >= end) {
              throw DECLINED;
            }
            int cp = hex(i + 1, i + 5);
            if (cp >= 0xD800 && cp <= 0xDFFF) {
              throw DECLINED;
            }
            sb.append((char) cp);
            i += 4;
          }
          default -> throw DECLINED;
        }
        from = i + 1;
      }
    }
    // Not closed on this line: a scalar over several lines, folded by rules left to snakeyaml.
    throw DECLINED;
  }

  private int hex(int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      int d = Character.digit(text.charAt(i), 16);
      if (d < 0) {
        throw DECLINED;
      }
      v = v * 16 + d;
    }
    return v;
  }

  private StringBuilder append(StringBuilder sb, int from, int to) {
    StringBuilder b = sb == null ? new StringBuilder() : sb;
    return b.append(text, from, to);
  }

  /**
   * Where the key that starts at {@code p} on line {@code line} ends: the index of its colon, or
   * -1 when the line does not start a mapping entry there.
   */
  private int keyEnd(int line, int p) {
    int end = ends[line];
    if (p >= end) {
      return -1;
    }
    char c = text.charAt(p);
    if (c == '"' || c == '\'') {
      int[] next = new int[1];
      try {
        quoted(p, end, next);
      } catch (Declined e) {
        return -1;
      }
      int q = next[0];
      return q < end && text.charAt(q) == ':' && (q + 1 == end || text.charAt(q + 1) == ' ') ? q : -1;
    }
    if (c == '[' || c == '{' || !plainStart(p, end)) {
      return -1;
    }
    for (int i = p; i < end; i++) {
      char d = text.charAt(i);
      if (d == ':' && (i + 1 == end || text.charAt(i + 1) == ' ')) {
        return i;
      }
      if (d == '#' && text.charAt(i - 1) == ' ') {
        return -1;
      }
    }
    return -1;
  }

  /** The key from {@code p} to its colon, converted as the composer's path converts keys. */
  private Object key(int p, int colon) {
    char c = text.charAt(p);
    if (c == '"' || c == '\'') {
      return quoted(p, colon, new int[1]);
    }
    String k = text.substring(p, trimEnd(p, colon));
    if (k.isEmpty()) {
      throw DECLINED;
    }
    return plain(k);
  }

  /**
   * Whether a plain scalar may start at {@code p}: not with an indicator, except {@code -} (and
   * {@code ?} and {@code :}, left out here) followed by a non-space.
   */
  private boolean plainStart(int p, int end) {
    char c = text.charAt(p);
    if ("[]{},#&*!|>'\"%@`?:".indexOf(c) >= 0) {
      return false;
    }
    return c != '-' || p + 1 < end && text.charAt(p + 1) != ' ';
  }

  /** Where a plain scalar from {@code p} ends on this line: before a comment, or at the end. */
  private int plainEnd(int p, int end) {
    for (int i = p + 1; i < end; i++) {
      if (text.charAt(i) == '#' && text.charAt(i - 1) == ' ') {
        return i;
      }
    }
    return end;
  }

  private int trimEnd(int from, int to) {
    while (to > from && text.charAt(to - 1) == ' ') {
      to--;
    }
    return to;
  }

  private int skipSpaces(int p, int end) {
    while (p < end && text.charAt(p) == ' ') {
      p++;
    }
    return p;
  }

  /** A plain scalar, typed by the core schema as snakeyaml types it. */
  private Object plain(String v) {
    if (v.length() > YamlDocuments.MAX_SCALAR_CHARS) {
      throw DECLINED;
    }
    return YamlDocuments.scalar(v, true, YamlDocuments.plainTag(v, resolver));
  }

  private boolean isDash(int line, int p) {
    return p < ends[line] && text.charAt(p) == '-' && (p + 1 == ends[line] || text.charAt(p + 1) == ' ');
  }

  /** A line of spaces only, or a comment. */
  private boolean isBlank(int line) {
    int p = skipSpaces(starts[line], ends[line]);
    return p == ends[line] || text.charAt(p) == '#';
  }

  private void skipBlank() {
    while (li < lineCount && isBlank(li)) {
      li++;
    }
  }

  private int indent(int line) {
    return skipSpaces(starts[line], ends[line]) - starts[line];
  }

  /** {@code ---} or {@code ...} at the start of a line, alone or before a space: they end every block. */
  private boolean isMarker(int line) {
    int s = starts[line];
    if (ends[line] - s < 3 || !(text.startsWith("---", s) || text.startsWith("...", s))) {
      return false;
    }
    if (ends[line] - s > 3 && text.charAt(s + 3) != ' ') {
      // "---x" is a plain scalar to snakeyaml; too rare to be worth reading the same way here.
      throw DECLINED;
    }
    return true;
  }

  /** {@code ---} alone or before a comment: content after it on the line is left to snakeyaml. */
  private boolean isDocumentStart(int line) {
    if (!isMarker(line) || text.charAt(starts[line]) != '-') {
      return false;
    }
    int p = skipSpaces(starts[line] + 3, ends[line]);
    if (p < ends[line] && text.charAt(p) != '#') {
      throw DECLINED;
    }
    return true;
  }

  private int lineNumber(int line) {
    return linesBefore + line + 1;
  }
}
