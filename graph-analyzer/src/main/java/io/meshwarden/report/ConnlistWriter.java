package io.meshwarden.report;

import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.Focus;
import io.meshwarden.connectivity.Peer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Writes a connectivity list on the pod network row by row, as the connections are produced, in
 * any of the list formats ({@link ConnlistFormat}) or np-guard's {@code --focusconn} form. Nothing
 * is held per connection: a cluster without policies has 10^8 allowed pairs at 10,000 workloads,
 * and they print in the heap the model needs. Names are escaped and encoded once per peer, and a
 * connection set once per source.
 */
public final class ConnlistWriter {
  private static final byte[] ARROW = bytes(" => ");
  private static final byte[] COLON = bytes(" : ");
  private static final byte[] MD_START = bytes("| ");
  private static final byte[] MD_BAR = bytes(" | ");
  private static final byte[] MD_END = bytes(" |\n");
  private static final byte[] JSON_FIRST = bytes("[\n  {\n    \"src\": ");
  private static final byte[] JSON_NEXT = bytes(",\n  {\n    \"src\": ");
  private static final byte[] JSON_DST = bytes(",\n    \"dst\": ");
  private static final byte[] JSON_CONN = bytes(",\n    \"conn\": ");
  private static final byte[] JSON_END = bytes("\n  }");
  private static final byte[] DOT_EDGE = bytes(" -> ");
  private static final byte[] DOT_LABEL = bytes(" [label=");
  private static final byte[] DOT_END = bytes(" color=\"gold2\" fontcolor=\"darkgreen\"]\n");
  private static final int MAX_CACHED = 1 << 16;

  private final ConnlistFormat format;
  private final Focus.FocusConnection focusConnection;
  private final UnaryOperator<String> escape;
  private final ByteLines out;
  private boolean any;
  private final Map<Peer, byte[]> names = new IdentityHashMap<>();
  private final Map<ConnectionSet, byte[]> sets = new IdentityHashMap<>();
  private Peer lastSrc;
  private byte[] lastSrcName;
  /** The bytes of a row before its destination, for {@link #lastSrc}. */
  private byte[] lastPrefix;
  private ConnectionSet lastSet;
  /** The bytes of a row after its destination, for {@link #lastSet}. */
  private byte[] lastSetName;
  private byte[][] destinationNames;
  /** Per destination: its name followed by the suffix of {@link #tailSets}' set. */
  private byte[][] tails;
  private ConnectionSet[] tailSets;

  /**
   * @param focusConnection with a port, np-guard's {@code --focusconn} form (a header, then
   *     {@code src => dst} lines); null for {@code format}
   */
  public ConnlistWriter(ConnlistFormat format, Focus.FocusConnection focusConnection, OutputStream out) {
    this.format = format;
    this.focusConnection = focusConnection;
    this.out = new ByteLines(out);
    this.escape = focusConnection != null ? UnaryOperator.identity() : switch (format) {
      case TXT, MD -> UnaryOperator.identity();
      case JSON -> Text::json;
      case CSV -> Text::csv;
      case DOT -> Text::dot;
    };
  }

  /**
   * Streams everything {@code connectivity} allows on the pod network that {@code focus} keeps.
   * The graph form lists its nodes first: the ends of every connection, or with a focus a first
   * pass over the pairs it keeps.
   */
  public static void write(Connectivity connectivity, Focus focus, ConnlistFormat format, OutputStream out)
      throws IOException {
    ConnlistWriter w = new ConnlistWriter(format, focus.connection(), out);
    boolean filter = !focus.isEmpty();
    if (format == ConnlistFormat.DOT && focus.connection() == null && !filter) {
      // Every connection is drawn: its ends are found per class, not by a first pass over the pairs.
      w.begin(connectivity.connectedPeers());
    } else if (format == ConnlistFormat.DOT && focus.connection() == null) {
      Set<Peer> nodes = new LinkedHashSet<>();
      connectivity.forEachSorted(new Connectivity.SortedSink() {
        private List<Peer> destinations;
        private boolean[] seen;
        private Peer lastSrc;

        @Override
        public void destinations(List<Peer> d) {
          destinations = d;
          seen = new boolean[d.size()];
        }

        @Override
        public void accept(Peer src, int dst, ConnectionSet allowed) {
          if (!seen[dst] || src != lastSrc) {
            Peer d = destinations.get(dst);
            if (!filter || focus.keeps(src, d, allowed)) {
              seen[dst] = true;
              lastSrc = src;
              nodes.add(src);
              nodes.add(d);
            }
          }
        }
      });
      w.begin(nodes);
    } else {
      w.begin(List.of());
    }
    try {
      connectivity.forEachSorted(new Connectivity.SortedSink() {
        private List<Peer> destinations;

        @Override
        public void destinations(List<Peer> d) {
          destinations = d;
          w.destinations(d);
        }

        @Override
        public void accept(Peer src, int dst, ConnectionSet allowed) {
          if (!filter || focus.keeps(src, destinations.get(dst), allowed)) {
            w.row(src, dst, allowed);
          }
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    w.end();
  }

  /** Writes what comes before the rows; the graph form needs every peer that a row names. */
  public void begin(Collection<Peer> graphNodes) {
    if (focusConnection != null) {
      put("Permitted connections on " + focusConnection + ":\n");
      return;
    }
    switch (format) {
      case CSV -> put("src,dst,conn\n");
      case MD -> put("| src | dst | conn |\n|-----|-----|------|\n");
      case DOT -> dotNodes(graphNodes);
      default -> { }
    }
  }

  /** Destinations named by index in {@link #row(Peer, int, ConnectionSet)}: encoded once each. */
  void destinations(List<Peer> destinations) {
    destinationNames = new byte[destinations.size()][];
    tails = new byte[destinations.size()][];
    tailSets = new ConnectionSet[destinations.size()];
    for (int i = 0; i < destinationNames.length; i++) {
      destinationNames[i] = bytes(escape.apply(destinations.get(i).displayName()));
    }
  }

  /**
   * Writes one connection to a destination handed to {@link #destinations(List)}: two copies, the
   * source's prefix and the destination with its set's suffix, kept per destination while the
   * set stays the same object (without policies, every row into a destination is alike).
   */
  void row(Peer src, int dst, ConnectionSet allowed) {
    if (focusConnection != null || (format == ConnlistFormat.JSON && !any)) {
      emit(src, destinationNames[dst], allowed);
      return;
    }
    source(src);
    byte[] tail;
    if (allowed == tailSets[dst]) {
      tail = tails[dst];
    } else {
      tail = concat(destinationNames[dst], suffixOf(allowed));
      tails[dst] = tail;
      tailSets[dst] = allowed;
    }
    put(lastPrefix).put(tail);
    any = true;
  }

  /** Writes one connection. */
  public void row(Peer src, Peer dst, ConnectionSet allowed) {
    emit(src, name(dst), allowed);
  }

  /**
   * Writes a row as three copies: what comes before the destination (per source), the
   * destination, and what comes after it (per connection set), each encoded once.
   */
  private void emit(Peer src, byte[] d, ConnectionSet allowed) {
    source(src);
    if (focusConnection != null) {
      put(lastPrefix).put(d).put((byte) '\n');
      return;
    }
    byte[] c = suffixOf(allowed);
    put(format == ConnlistFormat.JSON && !any ? prefix(lastSrcName, JSON_FIRST) : lastPrefix).put(d).put(c);
    any = true;
  }

  /** Makes {@code src} the source of the rows that follow. */
  private void source(Peer src) {
    if (src != lastSrc) {
      lastSrc = src;
      lastSrcName = name(src);
      lastPrefix = prefix(lastSrcName, JSON_NEXT);
      sets.clear();
      if (names.size() > MAX_CACHED) {
        names.clear();
      }
    }
  }

  /** The bytes of a row after its destination, for the set {@code allowed}. */
  private byte[] suffixOf(ConnectionSet allowed) {
    if (allowed != lastSet) {
      lastSetName = sets.computeIfAbsent(allowed, x -> suffix(bytes(escape.apply(x.toString()))));
      lastSet = allowed;
    }
    return lastSetName;
  }

  /** What a row of this format holds before its destination; {@code jsonStart} opens a JSON object. */
  private byte[] prefix(byte[] s, byte[] jsonStart) {
    if (focusConnection != null) {
      return concat(s, ARROW);
    }
    return switch (format) {
      case TXT -> concat(s, ARROW);
      case CSV -> concat(s, bytes(","));
      case MD -> concat(MD_START, s, MD_BAR);
      case JSON -> concat(jsonStart, s, JSON_DST);
      case DOT -> concat(bytes("\t"), s, DOT_EDGE);
    };
  }

  /** What a row of this format holds after its destination, given its connections {@code c}. */
  private byte[] suffix(byte[] c) {
    return switch (format) {
      case TXT -> concat(COLON, c, bytes("\n"));
      case CSV -> concat(bytes(","), c, bytes("\n"));
      case MD -> concat(MD_BAR, c, MD_END);
      case JSON -> concat(JSON_CONN, c, JSON_END);
      case DOT -> concat(DOT_LABEL, c, DOT_END);
    };
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** Writes what comes after the rows and flushes (the stream stays open). */
  public void end() throws IOException {
    if (focusConnection == null) {
      switch (format) {
        case JSON -> put(any ? "\n]\n" : "[]\n");
        case DOT -> put("}\n");
        default -> { }
      }
    }
    out.flush();
  }

  /** Graphviz nodes: one cluster per namespace, external peers and the ingress controller outside. */
  private void dotNodes(Collection<Peer> peers) {
    Map<String, TreeSet<String>> byNamespace = new TreeMap<>();
    TreeSet<String> outside = new TreeSet<>();
    for (Peer p : peers) {
      if (p instanceof Peer.WorkloadPeer w) {
        byNamespace.computeIfAbsent(w.workload().namespace(), k -> new TreeSet<>()).add(p.displayName());
      } else {
        outside.add(p.displayName());
      }
    }
    put("digraph {\n");
    for (Map.Entry<String, TreeSet<String>> e : byNamespace.entrySet()) {
      put("\tsubgraph " + Text.dot("cluster_" + e.getKey() + "[namespace]") + " {\n"
          + "\t\tcolor=\"black\"\n\t\tfontcolor=\"black\"\n");
      for (String node : e.getValue()) {
        String label = node.substring(node.indexOf('/') + 1);
        put("\t\t" + Text.dot(node) + " [label=" + Text.dot(label) + " color=\"blue\" fontcolor=\"blue\"]\n");
      }
      put("\t\tlabel=" + Text.dot(e.getKey() + "[namespace]") + "\n\t}\n");
    }
    for (String node : outside) {
      put("\t" + Text.dot(node) + " [label=" + Text.dot(node) + " color=\"red2\" fontcolor=\"red2\"]\n");
    }
  }

  private byte[] name(Peer p) {
    byte[] b = names.get(p);
    if (b == null) {
      b = bytes(escape.apply(p.displayName()));
      names.put(p, b);
    }
    return b;
  }

  private ByteLines put(String s) {
    return out.put(s);
  }

  private ByteLines put(byte[] b) {
    return out.put(b);
  }

  private static byte[] bytes(String s) {
    return ByteLines.bytes(s);
  }
}
