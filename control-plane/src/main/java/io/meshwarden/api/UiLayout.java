package io.meshwarden.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where each node sits inside its group (namespace, or the external peers), computed once per
 * node and kept: a node that appears later takes the next free cell, a node that leaves keeps its
 * cell empty, so live updates never move what the reader is looking at. The first layout of a
 * group places its nodes in columns by call depth (breadth-first from the nodes no other node of
 * the group calls), in name order within a column, wrapping long columns. The client packs whole
 * groups in name order. Not thread-safe: used from the API's one analysis thread.
 */
final class UiLayout {
  static final int CELL_W = 190;
  static final int CELL_H = 56;
  static final int HEADER = 34;
  static final int PAD = 12;

  /** A node's place: column and row in its group's grid. */
  record Cell(int column, int row) {
    int x() {
      return PAD + column * CELL_W;
    }

    int y() {
      return HEADER + row * CELL_H;
    }
  }

  private static final class Group {
    final Map<String, Cell> cells = new HashMap<>();
    final TreeSet<Long> used = new TreeSet<>();
    int rows;
    int columns;

    void put(String id, Cell c) {
      cells.put(id, c);
      used.add(((long) c.column() << 32) | c.row());
      rows = Math.max(rows, c.row() + 1);
      columns = Math.max(columns, c.column() + 1);
    }

    /** The first free cell, column by column, below {@code rows} rows; a new column when all are full. */
    Cell next() {
      for (int col = 0; col <= columns; col++) {
        for (int row = 0; row < Math.max(1, rows); row++) {
          if (!used.contains(((long) col << 32) | row)) {
            return new Cell(col, row);
          }
        }
      }
      return new Cell(columns, 0);
    }
  }

  private final Map<String, Group> groups = new HashMap<>();
  private long placements;

  /**
   * Places the nodes not placed yet.
   *
   * @param nodesByGroup node ids per group
   * @param edges source → targets among all nodes (only edges inside a group shape its first layout)
   */
  void place(Map<String, List<String>> nodesByGroup, Map<String, Set<String>> edges) {
    for (Map.Entry<String, List<String>> e : new TreeMap<>(nodesByGroup).entrySet()) {
      Group g = groups.get(e.getKey());
      if (g == null) {
        g = new Group();
        groups.put(e.getKey(), g);
        firstLayout(g, new TreeSet<>(e.getValue()), edges);
        continue;
      }
      for (String id : new TreeSet<>(e.getValue())) {
        if (!g.cells.containsKey(id)) {
          g.put(id, g.next());
          placements++;
        }
      }
    }
  }

  private void firstLayout(Group g, TreeSet<String> ids, Map<String, Set<String>> edges) {
    Map<String, Integer> incoming = new HashMap<>();
    for (String id : ids) {
      for (String t : edges.getOrDefault(id, Set.of())) {
        if (ids.contains(t) && !t.equals(id)) {
          incoming.merge(t, 1, Integer::sum);
        }
      }
    }
    Map<String, Integer> depth = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    for (String id : ids) {
      if (!incoming.containsKey(id)) {
        depth.put(id, 0);
        queue.add(id);
      }
    }
    while (true) {
      while (!queue.isEmpty()) {
        String id = queue.poll();
        for (String t : new TreeSet<>(edges.getOrDefault(id, Set.of()))) {
          if (ids.contains(t) && !depth.containsKey(t)) {
            depth.put(t, depth.get(id) + 1);
            queue.add(t);
          }
        }
      }
      // Cycles with no entry from outside them: start again from the first unplaced node.
      String left = ids.stream().filter(i -> !depth.containsKey(i)).findFirst().orElse(null);
      if (left == null) {
        break;
      }
      depth.put(left, 0);
      queue.add(left);
    }
    // Nodes with no edge inside the group go last, together.
    int deepest = depth.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    TreeMap<Integer, List<String>> columns = new TreeMap<>();
    for (String id : ids) {
      boolean connected = incoming.containsKey(id)
          || edges.getOrDefault(id, Set.of()).stream().anyMatch(t -> ids.contains(t) && !t.equals(id));
      columns.computeIfAbsent(connected ? depth.get(id) : deepest + 1, k -> new ArrayList<>()).add(id);
    }
    int maxRows = Math.max(6, (int) Math.ceil(Math.sqrt(ids.size() * 2.0)));
    int col = 0;
    for (List<String> column : columns.values()) {
      for (int i = 0; i < column.size(); i++) {
        g.put(column.get(i), new Cell(col + i / maxRows, i % maxRows));
        placements++;
      }
      col += (column.size() + maxRows - 1) / maxRows;
    }
  }

  /** The node's cell, or null when it was never placed. */
  Cell cell(String group, String id) {
    Group g = groups.get(group);
    return g == null ? null : g.cells.get(id);
  }

  /** The group's width and height when expanded. */
  int[] size(String group) {
    Group g = groups.get(group);
    int cols = g == null ? 1 : Math.max(1, g.columns);
    int rows = g == null ? 1 : Math.max(1, g.rows);
    return new int[] {2 * PAD + cols * CELL_W - 30, HEADER + rows * CELL_H + PAD};
  }

  /** Nodes placed so far (each once); tests use it to see that an update placed only what was new. */
  long placements() {
    return placements;
  }
}
