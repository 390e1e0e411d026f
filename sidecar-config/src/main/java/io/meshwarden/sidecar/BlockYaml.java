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
  private static final int REFUSED = Integer.MAX_VALUE;
  /**
   * The first characters of the strings the JSON schema's resolver can read as something else
   * (true/false, null, numbers, .inf/.nan, ${ENV}): it dispatches on the first character, so any
   * other string is a string without running its regular expressions (most of the time here).
   */
  private static final String RESOLVER_FIRST_CHARS = "tfn-0123456789.$";
  private static final String NUMBER_CHARS = "0123456789-+.eEinfa";

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
    // Two empty lists: Yaml hands snakeyaml one shared empty list for both, which it writes once
    // with an anchor and then as an alias.
    if (document.isEmpty() || map(document, 0, false, out) > 1) {
      out.setLength(mark);
      return false;
    }
    return true;
  }

  /**
   * A non-empty block mapping at {@code indent}; {@code inItem} when its first key follows a
   * sequence's {@code "- "} on the same line.
   *
   * @return how many empty lists it holds, or {@link #REFUSED}
   */
  private int map(Map<?, ?> m, int indent, boolean inItem, StringBuilder out) {
    int emptyLists = 0;
    List<String> keys = new ArrayList<>(m.size());
    for (Object k : m.keySet()) {
      if (!(k instanceof String s)) {
        return REFUSED;
      }
      keys.add(s);
    }
    keys.sort(null);
    boolean first = true;
    for (String k : keys) {
      if (k.length() + STR_TAG.length() >= maxSimpleKeyLength) {
        return REFUSED; // snakeyaml writes it as an explicit "? " key (it counts the tag it leaves out)
      }
      String key = string(k);
      if (key == null) {
        return REFUSED;
      }
      if (!(first && inItem)) {
        spaces(indent, out);
      }
      first = false;
      out.append(key).append(':');
      Object v = m.get(k);
      int n = 0;
      if (v instanceof Map<?, ?> child) {
        if (child.isEmpty()) {
          out.append(" {}\n");
        } else {
          n = map(child, indent + 2, false, out.append('\n'));
        }
      } else if (v instanceof List<?> list) {
        // A sequence in a mapping is indentless: its "- " sits at the key's column.
        if (list.isEmpty()) {
          out.append(" []\n");
          n = 1;
        } else {
          n = list(list, indent, out.append('\n'));
        }
      } else {
        String s = scalar(v);
        if (s == null) {
          return REFUSED;
        }
        out.append(' ').append(s).append('\n');
      }
      if (n == REFUSED) {
        return REFUSED;
      }
      emptyLists += n;
    }
    return emptyLists;
  }

  private int list(List<?> l, int indent, StringBuilder out) {
    int emptyLists = 0;
    for (Object item : l) {
      spaces(indent, out);
      out.append("- ");
      int n = 0;
      if (item instanceof Map<?, ?> m) {
        if (m.isEmpty()) {
          out.append("{}\n");
        } else {
          n = map(m, indent + 2, true, out);
        }
      } else if (item instanceof List<?> inner) {
        if (!inner.isEmpty()) {
          return REFUSED; // "- - x": not needed by the writers, left to snakeyaml
        }
        out.append("[]\n");
        n = 1;
      } else {
        String s = scalar(item);
        if (s == null) {
          return REFUSED;
        }
        out.append(s).append('\n');
      }
      if (n == REFUSED) {
        return REFUSED;
      }
      emptyLists += n;
    }
    return emptyLists;
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
    if (!quote && resolvesAsString(s)) {
      return s;
    }
    return "'" + s.replace("'", "''") + "'";
  }

  /**
   * Whether the JSON schema's resolver reads the plain scalar back as a string. It dispatches on
   * the first character: {@code t}/{@code f} can only be a boolean and {@code n} only null, whole
   * words both; a number (or {@code .inf}, {@code .nan}) has only digits, signs, dots, exponents
   * and those letters; {@code $} may be an environment variable. Only what is left undecided runs
   * its regular expressions, which were most of the time spent here.
   */
  private boolean resolvesAsString(String s) {
    char c = s.charAt(0);
    if (RESOLVER_FIRST_CHARS.indexOf(c) < 0) {
      return true;
    }
    if (c == 't' || c == 'f' || c == 'n') {
      return !s.equals("true") && !s.equals("false") && !s.equals("null");
    }
    if (c != '$') {
      for (int i = 0; i < s.length(); i++) {
        if (NUMBER_CHARS.indexOf(s.charAt(i)) < 0) {
          return true;
        }
      }
    }
    return Tag.STR.equals(resolver.resolve(s, true));
  }

  private static void spaces(int n, StringBuilder out) {
    for (int i = 0; i < n; i++) {
      out.append(' ');
    }
  }
}
