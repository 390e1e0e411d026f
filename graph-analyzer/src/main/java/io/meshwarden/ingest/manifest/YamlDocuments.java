package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Origin;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Splits a YAML (or JSON) stream into documents of plain maps, lists and scalars, keeping the
 * start line of every mapping. Parsing is ours rather than a data binder's so that a syntax error
 * names its line and the documents before it are not lost.
 */
final class YamlDocuments {
  /** A parsed document, or the error that ended the stream at {@code origin}. */
  record Document(Object body, Origin origin) {}

  static final int MAX_DEPTH = 100;
  /**
   * Longest scalar accepted. The API server stores no object above 1.5 MiB and no ConfigMap value
   * above 1 MiB, so a longer value is not a manifest; refusing it also bounds the scanner's time.
   */
  static final int MAX_SCALAR_CHARS = 1 << 20;
  /**
   * Longest document accepted, in characters. Generous, because {@code kubectl get -A -o yaml}
   * prints a whole cluster as one {@code kind: List} document.
   */
  static final int MAX_DOCUMENT_CHARS = 256 << 20;
  /**
   * The reader's buffer. snakeyaml copies its window each time it refills it, so a token longer
   * than the buffer costs time quadratic in its length; a large buffer makes that a few copies.
   */
  private static final int MAX_BUFFER_CHARS = 1 << 20;

  private YamlDocuments() {}

  /**
   * Parses every document of the stream. A syntax error stops the stream (YAML cannot resync) and
   * is thrown before any document is handed to {@code sink}.
   *
   * @return false when the stream was not parsed because it is a template ({@code {{ }}} that is
   *     not valid YAML, as Helm chart templates are); nothing was handed to {@code sink} then
   */
  static boolean parse(String file, Reader reader, Consumer<Document> sink) throws ManifestException {
    return parse(file, reader, d -> d, sink);
  }

  /**
   * Parses every document of the stream and hands {@code prepare(document)} to {@code sink}, in the
   * stream's order, with the same contract as {@link #parse(String, Reader, Consumer)}. Block YAML
   * is read by {@link BlockYaml}; other well-formed YAML in one pass over snakeyaml's events
   * ({@link EventTrees}), each document prepared as soon as it is read, so that only what {@code
   * prepare} keeps waits for the end of the stream (nothing is handed over before, since a syntax
   * error anywhere hands over nothing); {@code prepare} must therefore report problems in its
   * result rather than throw. What both decline is read by the two-pass reader, which prepares and
   * hands over document by document.
   */
  static <T> boolean parse(String file, Reader reader, Function<Document, T> prepare, Consumer<T> sink)
      throws ManifestException {
    String text = read(file, reader);
    if (text.length() <= MAX_DOCUMENT_CHARS) {
      if (BlockYaml.read(file, text, 0, CORE.getScalarResolver(), d -> sink.accept(prepare.apply(d)))) {
        return true;
      }
    }
    return parseGeneral(file, text, prepare, sink);
  }

  private static String read(String file, Reader reader) throws ManifestException {
    String text;
    try {
      text = readAll(reader);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ManifestException(new Origin(file, 0), "not a text file (not UTF-8)", e);
    } catch (java.io.IOException e) {
      throw new ManifestException(new Origin(file, 0), "cannot read: " + e.getMessage(), e);
    }
    int nul = text.indexOf('\0');
    if (nul >= 0) {
      // YAML forbids NUL; a file that has one is binary, whatever its name says.
      throw new ManifestException(new Origin(file, lineAt(text, nul)), "not a text file");
    }
    return text;
  }

  /** Stateless: its resolver is shared by every read. */
  private static final org.snakeyaml.engine.v2.schema.CoreSchema CORE = new org.snakeyaml.engine.v2.schema.CoreSchema();

  /** {@link #parse} by snakeyaml, which reads all of YAML: in one pass when it can, else in two. */
  static boolean parseGeneral(String file, String text, Consumer<Document> sink) throws ManifestException {
    return parseGeneral(file, text, d -> d, sink);
  }

  private static <T> boolean parseGeneral(String file, String text, Function<Document, T> prepare, Consumer<T> sink)
      throws ManifestException {
    LoadSettings settings = settings(file, text.length());
    if (text.length() <= MAX_DOCUMENT_CHARS) {
      List<T> read = new ArrayList<>();
      if (EventTrees.read(file, text, settings, d -> read.add(prepare.apply(d)))) {
        read.forEach(sink);
        return true;
      }
    }
    return parseTwoPass(file, text, settings, doc -> sink.accept(prepare.apply(doc)));
  }

  private static LoadSettings settings(String file, int chars) {
    return LoadSettings.builder()
        .setLabel(file)
        .setAllowDuplicateKeys(false)
        .setMaxAliasesForCollections(50)
        .setCodePointLimit(MAX_DOCUMENT_CHARS)
        .setBufferSize(Math.max(1024, Math.min(chars + 1, MAX_BUFFER_CHARS)))
        .setSchema(new org.snakeyaml.engine.v2.schema.CoreSchema())
        .build();
  }

  /**
   * The reader every stream that {@link EventTrees} declines goes through, so that every
   * diagnostic is the same: a check of the whole stream's shape, then snakeyaml's composer.
   */
  static boolean parseTwoPass(String file, String text, LoadSettings settings, Consumer<Document> sink)
      throws ManifestException {
    Compose compose = new Compose(settings);
    try {
      try {
        checkShape(file, settings, text);
      } catch (MarkedYamlEngineException e) {
        if (text.contains("{{")) {
          return false;
        }
        throw e;
      }
      for (org.snakeyaml.engine.v2.nodes.Node node : compose.composeAllFromString(text)) {
        if (node == null) {
          continue;
        }
        int line = line(node.getStartMark());
        sink.accept(new Document(convert(file, node, 0), new Origin(file, line)));
      }
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
      int line = mark.map(YamlDocuments::line).orElse(0);
      throw new ManifestException(new Origin(file, line), "malformed YAML: " + firstLine(e.getProblem()), e);
    } catch (YamlEngineException e) {
      String msg = firstLine(e.getMessage());
      if (msg.contains("exceeds the limit")) {
        throw new ManifestException(new Origin(file, 0), "a YAML document longer than " + MAX_DOCUMENT_CHARS
            + " characters; split it into several documents", e);
      }
      throw new ManifestException(new Origin(file, 0), "malformed YAML: " + msg, e);
    }
    return true;
  }

  private static int lineAt(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static String readAll(Reader reader) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    char[] buf = new char[8192];
    for (int n; (n = reader.read(buf)) > 0; ) {
      sb.append(buf, 0, n);
    }
    return sb.toString();
  }

  /**
   * The composer recurses once per nesting level, so a hostile document of a few kilobytes of
   * brackets would overflow the stack; the event stream is flat, so count depth there first, and
   * refuse oversized values before they are copied into a tree.
   */
  private static void checkShape(String file, LoadSettings settings, String text) throws ManifestException {
    int depth = 0;
    for (Event e : new Parse(settings).parseString(text)) {
      switch (e.getEventId()) {
        case Scalar -> {
          int length = ((ScalarEvent) e).getValue().length();
          if (length > MAX_SCALAR_CHARS) {
            throw new ManifestException(new Origin(file, line(e.getStartMark())), "a value of " + length
                + " characters; values longer than " + MAX_SCALAR_CHARS + " characters are refused (the API server"
                + " stores no object above 1.5 MiB)");
          }
        }
        case MappingStart, SequenceStart -> {
          if (++depth > MAX_DEPTH) {
            throw new ManifestException(new Origin(file, line(e.getStartMark())), "nesting deeper than " + MAX_DEPTH);
          }
        }
        case MappingEnd, SequenceEnd -> depth--;
        default -> { }
      }
    }
  }

  private static int line(Optional<Mark> mark) {
    return mark.map(YamlDocuments::line).orElse(0);
  }

  private static int line(Mark mark) {
    return mark.getLine() + 1;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "syntax error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static Object convert(String file, org.snakeyaml.engine.v2.nodes.Node node, int depth)
      throws ManifestException {
    if (depth > MAX_DEPTH) {
      throw new ManifestException(new Origin(file, line(node.getStartMark())), "nesting deeper than " + MAX_DEPTH);
    }
    if (node instanceof MappingNode m) {
      Node map = new Node(line(m.getStartMark()));
      for (NodeTuple t : m.getValue()) {
        String key = String.valueOf(convert(file, t.getKeyNode(), depth + 1));
        if (map.containsKey(key)) {
          // Which of two values a consumer sees is parser-dependent; refuse to guess.
          throw new ManifestException(new Origin(file, line(t.getKeyNode().getStartMark())),
              "duplicate key \"" + key + "\"");
        }
        map.putAt(key, convert(file, t.getValueNode(), depth + 1), line(t.getKeyNode().getStartMark()));
      }
      return map;
    }
    if (node instanceof SequenceNode s) {
      List<Object> list = new ArrayList<>(s.getValue().size());
      for (org.snakeyaml.engine.v2.nodes.Node item : s.getValue()) {
        list.add(convert(file, item, depth + 1));
      }
      return list;
    }
    ScalarNode scalar = (ScalarNode) node;
    return scalar(scalar.getValue(), scalar.getScalarStyle() == ScalarStyle.PLAIN, scalar.getTag());
  }

  /** What a plain scalar can start with when it is not a string: a number, {@code ~}, a merge key or an env reference. */
  private static final String MAY_RESOLVE = "-+0123456789.~ $<";
  private static final java.util.Set<String> WORDS = java.util.Set.of("true", "True", "TRUE", "false", "False",
      "FALSE", "null", "Null", "NULL");

  /**
   * The tag snakeyaml's composer gives a plain scalar, without trying the core schema's patterns
   * on what cannot match them: most scalars of a manifest are names, and the patterns are a large
   * share of a cold read. Shared by both one-pass readers.
   */
  static Tag plainTag(String v, org.snakeyaml.engine.v2.resolver.ScalarResolver resolver) {
    if (!v.isEmpty() && MAY_RESOLVE.indexOf(v.charAt(0)) < 0 && !WORDS.contains(v)) {
      return Tag.STR;
    }
    return resolver.resolve(v, true);
  }

  /** A scalar's value: quoted ones are strings, plain ones typed by their resolved {@code tag}. */
  static Object scalar(String v, boolean plain, Tag tag) {
    if (!plain || Tag.STR.equals(tag)) {
      return v;
    }
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.BOOL.equals(tag)) {
      return Boolean.valueOf(v.toLowerCase(java.util.Locale.ROOT));
    }
    if (Tag.INT.equals(tag)) {
      try {
        long n = Long.parseLong(v.replace("_", ""));
        // Data binders read small numbers as int tokens only when they are Integers.
        return n == (int) n ? (Object) (int) n : (Object) n;
      } catch (NumberFormatException e) {
        return v;
      }
    }
    if (Tag.FLOAT.equals(tag)) {
      try {
        return Double.valueOf(v);
      } catch (NumberFormatException e) {
        return v;
      }
    }
    return v;
  }
}
