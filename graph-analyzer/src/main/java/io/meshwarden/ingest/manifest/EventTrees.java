package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Builds the documents of well-formed plain YAML in one pass over the parser's events, without
 * snakeyaml's node graph and without a second parse. It reads only what it can read exactly as
 * {@link YamlDocuments}' two-pass reader does and declines everything else (any syntax error,
 * anchors and aliases, merge keys, keys that are collections, duplicate keys, values or nesting
 * over the limits): the caller then runs that reader, so every diagnostic keeps its words and line.
 * The stack is explicit, so nesting costs no Java stack.
 */
final class EventTrees {
  /**
   * First characters of a plain scalar that the core schema may resolve to a number, null, merge
   * or environment tag; apart from these, only its words for booleans and null resolve.
   */
  private EventTrees() {}

  /**
   * Hands each document of {@code text} to {@code out} as it ends. Returns false when the text is
   * declined; documents handed over before are then to be dropped.
   */
  static boolean read(String file, String text, LoadSettings settings, Consumer<YamlDocuments.Document> out) {
    ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, text));
    ScalarResolver resolver = settings.getSchema().getScalarResolver();
    int max = YamlDocuments.MAX_DEPTH + 1;
    Object[] containers = new Object[max + 1];
    int[] starts = new int[max + 1];
    String[] keys = new String[max + 1];
    int[] keyLines = new int[max + 1];
    int depth = 0;
    try {
      while (parser.hasNext()) {
        Event e = parser.next();
        Object value;
        int line;
        switch (e.getEventId()) {
          case Scalar -> {
            ScalarEvent s = (ScalarEvent) e;
            String v = s.getValue();
            if (s.getAnchor().isPresent() || v.length() > YamlDocuments.MAX_SCALAR_CHARS) {
              return false;
            }
            Tag tag = tag(s, resolver);
            value = YamlDocuments.scalar(v, s.getScalarStyle() == ScalarStyle.PLAIN, tag);
            line = line(s.getStartMark());
            if (depth > 0 && containers[depth] instanceof Node map && keys[depth] == null) {
              String key = String.valueOf(value);
              if (Tag.MERGE.equals(tag) || map.containsKey(key)) {
                return false;
              }
              keys[depth] = key;
              keyLines[depth] = line;
              continue;
            }
          }
          case MappingStart, SequenceStart -> {
            if (((NodeEvent) e).getAnchor().isPresent() || (depth > 0 && containers[depth] instanceof Node
                && keys[depth] == null) || depth == max - 1) {
              return false;
            }
            depth++;
            starts[depth] = line(e.getStartMark());
            containers[depth] = e.getEventId() == Event.ID.MappingStart ? new Node(starts[depth]) : new ArrayList<>();
            keys[depth] = null;
            continue;
          }
          case MappingEnd, SequenceEnd -> {
            value = containers[depth];
            line = starts[depth];
            containers[depth] = null;
            depth--;
          }
          case Alias -> {
            return false;
          }
          default -> {
            continue;
          }
        }
        if (depth == 0) {
          out.accept(new YamlDocuments.Document(value, new Origin(file, line)));
        } else if (containers[depth] instanceof Node map) {
          map.putAt(keys[depth], value, keyLines[depth]);
          keys[depth] = null;
        } else {
          @SuppressWarnings("unchecked")
          List<Object> list = (List<Object>) containers[depth];
          list.add(value);
        }
      }
    } catch (YamlEngineException e) {
      return false;
    }
    return true;
  }

  /** The scalar's tag as snakeyaml's composer sets it, without trying patterns that cannot match. */
  private static Tag tag(ScalarEvent s, ScalarResolver resolver) {
    Optional<String> explicit = s.getTag();
    if (explicit.isPresent() && !explicit.get().equals("!")) {
      return new Tag(explicit.get());
    }
    return s.getImplicit().canOmitTagInPlainScalar() ? YamlDocuments.plainTag(s.getValue(), resolver) : Tag.STR;
  }

  private static int line(Optional<Mark> mark) {
    return mark.map(m -> m.getLine() + 1).orElse(0);
  }
}
