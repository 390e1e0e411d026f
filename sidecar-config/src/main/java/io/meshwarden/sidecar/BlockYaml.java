package io.meshwarden.sidecar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.JsonScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Writes the block YAML that snakeyaml-engine's {@code Dump} writes with {@link Yaml}'s settings,
 * directly, for the documents the policy writers build: string-keyed maps (keys sorted), lists,
 * single-line printable-ASCII strings, integers and booleans. The generic emitter took about 3 s
 * of a cold {@code generate} at 10,000 workloads (23 MB of YAML); this takes a tenth of that.
 *
 * <p>Only what is reproduced byte for byte is written here: a document with anything else (an
 * empty string, a character outside printable ASCII, a key of 128 characters or more, a list in a
 * list, two empty lists (snakeyaml writes an anchor), an empty document, another type) is refused, untouched, and {@link Yaml} hands it to
 * snakeyaml. Scalar styles follow the emitter's rules for that subset: plain unless an indicator,
 * an edge space or the schema's resolver (a string that would read back as a number, boolean or
 * null) forbids it, otherwise single-quoted. Immutable.
 */
final class BlockYaml {
  private static final String LEADING_INDICATORS = "#,[]{}&*!|>'\"%@`";
  private static final String STR_TAG = "!!str";
  /**
   * The first characters of the strings the JSON schema's resolver can read as something else
   * (true/false, null, numbers, .inf/.nan, ${ENV}): it dispatches on the first character, so any
   * other string is a string without running its regular expressions (most of the time here).
   */
  private static final String RESOLVER_FIRST_CHARS = "tfn-0123456789.$";

  private final ScalarResolver resolver;
  private final int maxSimpleKeyLength;

  BlockYaml(ScalarResolver resolver, int maxSimpleKeyLength) {
    if (resolver.getClass() != JsonScalarResolver.class) {
      throw new IllegalArgumentException("the scalar styles here follow the JSON schema's resolver");
    }
    this.resolver = resolver;
    this.maxSimpleKeyLength = maxSimpleKeyLength;
  }

  /** Appends the document and returns true, or leaves {@code out} as it was and returns false. */
  boolean write(Map<?, ?> document, StringBuilder out) {
    int mark = out.length();
    if (document.isEmpty() || emptyLists(document) > 1 || !map(document, 0, false, out)) {
      out.setLength(mark);
      return false;
    }
    return true;
  }

  /**
   * A non-empty block mapping at {@code indent}; {@code inItem} when its first key follows a
   * sequence's {@code "- "} on the same line.
   */
  private boolean map(Map<?, ?> m, int indent, boolean inItem, StringBuilder out) {
    List<String> keys = new ArrayList<>(m.size());
    for (Object k : m.keySet()) {
      if (!(k instanceof String s)) {
        return false;
      }
      keys.add(s);
    }
    keys.sort(null);
    boolean first = true;
    for (String k : keys) {
      if (k.length() + STR_TAG.length() >= maxSimpleKeyLength) {
        return false; // snakeyaml writes it as an explicit "? " key (it counts the tag it leaves out)
      }
      String key = string(k);
      if (key == null) {
        return false;
      }
      if (!(first && inItem)) {
        spaces(indent, out);
      }
      first = false;
      out.append(key).append(':');
      Object v = m.get(k);
      if (v instanceof Map<?, ?> child) {
        if (child.isEmpty()) {
          out.append(" {}\n");
        } else if (!map(child, indent + 2, false, out.append('\n'))) {
          return false;
        }
      } else if (v instanceof List<?> list) {
        // A sequence in a mapping is indentless: its "- " sits at the key's column.
        if (list.isEmpty()) {
          out.append(" []\n");
        } else if (!list(list, indent, out.append('\n'))) {
          return false;
        }
      } else {
        String s = scalar(v);
        if (s == null) {
          return false;
        }
        out.append(' ').append(s).append('\n');
      }
    }
    return true;
  }

  private boolean list(List<?> l, int indent, StringBuilder out) {
    for (Object item : l) {
      spaces(indent, out);
      out.append("- ");
      if (item instanceof Map<?, ?> m) {
        if (m.isEmpty()) {
          out.append("{}\n");
        } else if (!map(m, indent + 2, true, out)) {
          return false;
        }
      } else if (item instanceof List<?> inner) {
        if (!inner.isEmpty()) {
          return false; // "- - x": not needed by the writers, left to snakeyaml
        }
        out.append("[]\n");
      } else {
        String s = scalar(item);
        if (s == null) {
          return false;
        }
        out.append(s).append('\n');
      }
    }
    return true;
  }

  /**
   * Empty lists in the document: {@link Yaml} hands snakeyaml one shared empty list for all of
   * them, which it writes once with an anchor and then as aliases.
   */
  private static int emptyLists(Object o) {
    if (o instanceof Map<?, ?> m) {
      int n = 0;
      for (Object v : m.values()) {
        n += emptyLists(v);
      }
      return n;
    }
    if (o instanceof List<?> l) {
      int n = l.isEmpty() ? 1 : 0;
      for (Object v : l) {
        n += emptyLists(v);
      }
      return n;
    }
    return 0;
  }

  private String scalar(Object v) {
    if (v instanceof String s) {
      return string(s);
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Boolean) {
      return v.toString();
    }
    return null;
  }

  /** The string as a plain or single-quoted scalar, or null when it is not single-line printable ASCII. */
  String string(String s) {
    int n = s.length();
    if (n == 0) {
      return null;
    }
    boolean quote = s.charAt(0) == ' ' || s.charAt(n - 1) == ' ' || s.startsWith("---") || s.startsWith("...");
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return null;
      }
      boolean followedBySpace = i + 1 == n || s.charAt(i + 1) == ' ';
      if (i == 0) {
        quote |= LEADING_INDICATORS.indexOf(c) >= 0 || ((c == '?' || c == ':' || c == '-') && followedBySpace);
      } else {
        quote |= (c == ':' && followedBySpace) || (c == '#' && s.charAt(i - 1) == ' ');
      }
    }
    if (!quote && (RESOLVER_FIRST_CHARS.indexOf(s.charAt(0)) < 0 || Tag.STR.equals(resolver.resolve(s, true)))) {
      return s;
    }
    return "'" + s.replace("'", "''") + "'";
  }

  private static void spaces(int n, StringBuilder out) {
    for (int i = 0; i < n; i++) {
      out.append(' ');
    }
  }
}
