package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Origin;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.events.Event;
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

  private static final int MAX_DEPTH = 100;

  private YamlDocuments() {}

  /**
   * Parses every document of the stream. A syntax error stops the stream (YAML cannot resync) and
   * is thrown after the documents read so far are handed to {@code sink}.
   */
  static void parse(String file, Reader reader, java.util.function.Consumer<Document> sink)
      throws ManifestException {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(file)
        .setAllowDuplicateKeys(false)
        .setMaxAliasesForCollections(50)
        .setCodePointLimit(Integer.MAX_VALUE)
        .setSchema(new org.snakeyaml.engine.v2.schema.CoreSchema())
        .build();
    String text;
    try {
      text = readAll(reader);
    } catch (java.io.IOException e) {
      throw new ManifestException(new Origin(file, 0), "cannot read: " + e.getMessage(), e);
    }
    Compose compose = new Compose(settings);
    try {
      checkDepth(file, settings, text);
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
      throw new ManifestException(new Origin(file, 0), "malformed YAML: " + firstLine(e.getMessage()), e);
    }
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
   * brackets would overflow the stack; the event stream is flat, so count depth there first.
   */
  private static void checkDepth(String file, LoadSettings settings, String text) throws ManifestException {
    int depth = 0;
    for (Event e : new Parse(settings).parseString(text)) {
      switch (e.getEventId()) {
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
        map.put(key, convert(file, t.getValueNode(), depth + 1));
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
    return scalar(scalar);
  }

  private static Object scalar(ScalarNode node) {
    String v = node.getValue();
    Tag tag = node.getTag();
    if (node.getScalarStyle() != ScalarStyle.PLAIN || Tag.STR.equals(tag)) {
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
